package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Seeds one passport, from {@link Seed#newPassport(String)}, as {@code POST /v1/passports/issue} with these fields
 * would (the fake's issuing rules apply: an enforced or logged agent needs an intent, an enforced agent's lifetime is
 * capped at its checkpoint interval):
 *
 * <pre>{@code
 * SeededPassport p = fake.seed().newPassport(agent)
 *         .intent("summarise papers", "openai")
 *         .ttl(Duration.ofMinutes(10))
 *         .scopes(openai, "chat")
 *         .create();
 * }</pre>
 *
 * <p>Without {@link #scopes(String, String...)} the passport carries all of the agent's grants. Not thread-safe; use
 * one builder per passport.
 */
public final class PassportSeed {
    /** Shortest {@link #ttl(Duration)}, as STACK's. */
    public static final Duration MIN_TTL = Duration.ofSeconds(60);
    /** Longest {@link #ttl(Duration)} and {@link #checkpointInterval(Duration)}, as STACK's. */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    private final Function<ObjectNode, SeededPassport> issuer;
    private @Nullable String intentSummary;
    private List<String> intentServices = List.of();
    private @Nullable Duration ttl;
    private @Nullable Duration checkpointInterval;
    private final List<ObjectNode> scopes = new ArrayList<>();
    private final List<String> identityClaimIds = new ArrayList<>();

    PassportSeed(Function<ObjectNode, SeededPassport> issuer) {
        this.issuer = issuer;
    }

    /**
     * The intent: what the agent is about to do and with which providers.
     *
     * @param summary at most 500 characters
     * @param services provider slugs
     * @return this
     */
    public PassportSeed intent(String summary, String... services) {
        this.intentSummary = Objects.requireNonNull(summary, "summary");
        this.intentServices = List.copyOf(Arrays.asList(services));
        return this;
    }

    /**
     * The requested lifetime; default the fake's (900 s).
     *
     * @param ttl whole seconds, 60 s to 3600 s
     * @return this
     */
    public PassportSeed ttl(Duration ttl) {
        this.ttl = seconds("ttl", ttl);
        return this;
    }

    /**
     * The checkpoint interval of an enforced agent's passport; default the fake's (300 s).
     *
     * @param interval whole seconds, 60 s to 3600 s
     * @return this
     */
    public PassportSeed checkpointInterval(Duration interval) {
        this.checkpointInterval = seconds("checkpointInterval", interval);
        return this;
    }

    /**
     * Narrows the passport to these scopes of one granted connection (repeat for several connections).
     *
     * @param connectionId a connection the agent has a grant on
     * @param scopes a subset of the granted scopes
     * @return this
     */
    public PassportSeed scopes(String connectionId, String... scopes) {
        Objects.requireNonNull(connectionId, "connectionId");
        ObjectNode s = Json.object();
        s.put("service_connection_id", connectionId);
        ArrayNode a = s.putArray("scopes");
        for (String scope : scopes) {
            a.add(Objects.requireNonNull(scope, "scope"));
        }
        this.scopes.add(s);
        return this;
    }

    /**
     * Identity claims to bind to the passport.
     *
     * @param claimIds claim ids
     * @return this
     */
    public PassportSeed identityClaims(String... claimIds) {
        for (String id : claimIds) {
            identityClaimIds.add(Objects.requireNonNull(id, "claimId"));
        }
        return this;
    }

    private static Duration seconds(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (!d.equals(Duration.ofSeconds(d.toSeconds())) || d.compareTo(MIN_TTL) < 0 || d.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(name + " must be whole seconds from 60 s to 3600 s: " + d);
        }
        return d;
    }

    /**
     * Issues the passport.
     *
     * @return the passport
     * @throws IllegalArgumentException if the fake refuses the request (bad input, unknown agent)
     * @throws IllegalStateException if the agent may not get a passport (blocked, suspended, scope not granted)
     */
    public SeededPassport create() {
        ObjectNode body = Json.object();
        if (intentSummary != null) {
            ObjectNode intent = body.putObject("intent");
            intent.put("summary", intentSummary);
            intent.set("services", Json.strings(intentServices));
        }
        if (ttl != null) {
            body.put("ttl_seconds", ttl.toSeconds());
        }
        if (checkpointInterval != null) {
            body.put("checkpoint_interval_seconds", checkpointInterval.toSeconds());
        }
        if (!scopes.isEmpty()) {
            body.putArray("scopes").addAll(scopes);
        }
        if (!identityClaimIds.isEmpty()) {
            body.set("identity_claim_ids", Json.strings(identityClaimIds));
        }
        return issuer.apply(body);
    }

    @Override
    public String toString() {
        return "PassportSeed[intent=" + intentSummary + ", ttl=" + ttl + "]";
    }
}
