package run.getstack.sdk.mission;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.ServiceScope;

/**
 * What to open or start a mission with ({@code POST /v1/missions}, {@code docs/wire-protocol.md} §10.4.2). Immutable;
 * build with {@link #builder(String)}; every setter validates at once.
 *
 * <p>Starting is idempotent: the {@linkplain Builder#authorityRequestId(String) authority request id} is the key, so a
 * repeated start with the same id returns the same mission. Without one, the SDK makes a random id per start call
 * (its retries are safe; a second call starts a second mission).
 */
public final class MissionRequest {
    /** Longest {@link #intentSummary()}: 500 characters. */
    public static final int MAX_INTENT_SUMMARY = 500;

    /** Most {@link #recipients()}: 64. */
    public static final int MAX_RECIPIENTS = 64;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final @Nullable String agentId;
    private final String intentSummary;
    private final List<String> services;
    private final MissionLimits limits;
    private final List<String> recipients;
    private final @Nullable Map<String, Object> outputSchema;
    private final @Nullable Duration ttl;
    private final @Nullable Duration checkpointInterval;
    private final @Nullable List<ServiceScope> scopes;
    private final @Nullable List<String> identityClaimIds;
    private final @Nullable String authorityRequestId;

    private MissionRequest(Builder b) {
        this.agentId = b.agentId;
        this.intentSummary = b.intentSummary;
        this.services = List.copyOf(b.services);
        this.limits = b.limits;
        this.recipients = List.copyOf(b.recipients);
        this.outputSchema = b.outputSchema;
        this.ttl = b.ttl;
        this.checkpointInterval = b.checkpointInterval;
        this.scopes = b.scopes;
        this.identityClaimIds = b.identityClaimIds;
        this.authorityRequestId = b.authorityRequestId;
    }

    /**
     * Starts a builder.
     *
     * @param intentSummary what the mission is for, 1 to {@value #MAX_INTENT_SUMMARY} characters
     * @return a new builder
     */
    public static Builder builder(String intentSummary) {
        return new Builder(intentSummary);
    }

    /**
     * Returns a mission request carrying what a passport request asked for (its intent, TTL, checkpoint interval,
     * scopes and claims): how the SDK keeps {@code StackClient.Builder.passportRequest(...)} working now that every
     * passport belongs to a mission.
     *
     * @param request the passport request
     * @param fallbackSummary the summary when the request has no intent
     * @return the mission request
     */
    public static MissionRequest fromPassportRequest(PassportRequest request, String fallbackSummary) {
        Objects.requireNonNull(request, "request");
        var intent = request.intent();
        Builder b = builder(intent != null ? intent.summary() : fallbackSummary);
        if (intent != null) {
            b.services(intent.services());
        }
        b.ttl(request.ttl());
        Duration interval = request.checkpointInterval();
        if (interval != null) {
            b.checkpointInterval(interval);
        }
        List<ServiceScope> s = request.scopes();
        if (s != null) {
            b.scopes(s);
        }
        List<String> claims = request.identityClaimIds();
        if (claims != null) {
            b.identityClaimIds(claims);
        }
        return b.build();
    }

    /**
     * Returns the agent the mission is assigned to, or null for the client's agent.
     *
     * @return the agent, or null
     */
    public @Nullable String agentId() {
        return agentId;
    }

    /**
     * Returns what the mission is for.
     *
     * @return the intent summary
     */
    public String intentSummary() {
        return intentSummary;
    }

    /**
     * Returns the provider slugs the mission is for.
     *
     * @return the services
     */
    public List<String> services() {
        return services;
    }

    /**
     * Returns the caps.
     *
     * @return the limits
     */
    public MissionLimits limits() {
        return limits;
    }

    /**
     * Returns who the mission may send to.
     *
     * @return exact addresses, numbers or ids
     */
    public List<String> recipients() {
        return recipients;
    }

    /**
     * Returns the JSON Schema the completion output must meet, or null for none.
     *
     * @return the schema, or null
     */
    public @Nullable Map<String, Object> outputSchema() {
        return outputSchema;
    }

    /**
     * Returns the passport's requested lifetime, or null for STACK's default.
     *
     * @return the TTL, or null
     */
    public @Nullable Duration ttl() {
        return ttl;
    }

    /**
     * Returns the checkpoint interval for enforced agents, or null for the server's default.
     *
     * @return the interval, or null
     */
    public @Nullable Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * Returns the passport's scopes, or null for all the agent's grants.
     *
     * @return the scopes, or null
     */
    public @Nullable List<ServiceScope> scopes() {
        return scopes;
    }

    /**
     * Returns the identity claims to embed, or null for all active ones.
     *
     * @return the claim ids, or null
     */
    public @Nullable List<String> identityClaimIds() {
        return identityClaimIds;
    }

    /**
     * Returns the idempotency key of the start, or null for a random one per call.
     *
     * @return the authority request id, or null
     */
    public @Nullable String authorityRequestId() {
        return authorityRequestId;
    }

    @Override
    public String toString() {
        return "MissionRequest{agentId=" + agentId + ", intentSummary=" + intentSummary + ", services=" + services
                + ", limits=" + limits + ", recipients=" + recipients.size() + ", outputSchema="
                + (outputSchema != null) + ", ttl=" + ttl + ", checkpointInterval=" + checkpointInterval
                + ", scopes=" + scopes + ", authorityRequestId=" + authorityRequestId + '}';
    }

    /** Builds a {@link MissionRequest}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String agentId;
        private final String intentSummary;
        private List<String> services = List.of();
        private MissionLimits limits = MissionLimits.none();
        private List<String> recipients = List.of();
        private @Nullable Map<String, Object> outputSchema;
        private @Nullable Duration ttl;
        private @Nullable Duration checkpointInterval;
        private @Nullable List<ServiceScope> scopes;
        private @Nullable List<String> identityClaimIds;
        private @Nullable String authorityRequestId;

        private Builder(String intentSummary) {
            Objects.requireNonNull(intentSummary, "intentSummary");
            if (intentSummary.isBlank() || intentSummary.length() > MAX_INTENT_SUMMARY) {
                throw new IllegalArgumentException(
                        "intentSummary: must be 1 to " + MAX_INTENT_SUMMARY + " characters, not blank");
            }
            this.intentSummary = intentSummary;
        }

        /**
         * Assigns the mission to an agent; default the client's agent.
         *
         * @param agentId the agent
         * @return this builder
         */
        public Builder agentId(String agentId) {
            this.agentId = id("agentId", agentId);
            return this;
        }

        /**
         * Sets the provider slugs the mission is for.
         *
         * @param services slugs such as {@code slack}
         * @return this builder
         */
        public Builder services(String... services) {
            return services(List.of(services));
        }

        /**
         * Sets the provider slugs the mission is for.
         *
         * @param services slugs such as {@code slack}
         * @return this builder
         */
        public Builder services(List<String> services) {
            for (String s : Objects.requireNonNull(services, "services")) {
                if (s == null || !SERVICE.matcher(s).matches()) {
                    throw new IllegalArgumentException("services: '" + s + "' is not a lower-case provider slug");
                }
            }
            this.services = List.copyOf(services);
            return this;
        }

        /**
         * Sets the caps.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(MissionLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets who the mission may send to (only the owner can add to them later).
         *
         * @param recipients exact addresses, numbers or ids, at most {@value #MAX_RECIPIENTS}
         * @return this builder
         */
        public Builder recipients(List<String> recipients) {
            List<String> r = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
            if (r.size() > MAX_RECIPIENTS || r.stream().anyMatch(x -> x.isBlank() || x.length() > 320)) {
                throw new IllegalArgumentException(
                        "recipients: at most " + MAX_RECIPIENTS + " values of 1 to 320 characters");
            }
            this.recipients = r;
            return this;
        }

        /**
         * Declares the JSON Schema the completion output must meet (checked by the control plane).
         *
         * @param schema the schema as JSON-like Java values (maps, lists, strings, numbers, booleans)
         * @return this builder
         */
        public Builder outputSchema(Map<String, Object> schema) {
            this.outputSchema = Map.copyOf(Objects.requireNonNull(schema, "outputSchema"));
            return this;
        }

        /**
         * Sets the passport's lifetime (enforced agents: at most the checkpoint interval).
         *
         * @param ttl whole seconds from 60 s to 3600 s
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = seconds("ttl", ttl);
            return this;
        }

        /**
         * Sets the checkpoint interval of enforced agents.
         *
         * @param interval whole seconds from 60 s to 3600 s
         * @return this builder
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = seconds("checkpointInterval", interval);
            return this;
        }

        /**
         * Limits the passport to these scopes.
         *
         * @param scopes one entry per service connection
         * @return this builder
         */
        public Builder scopes(List<ServiceScope> scopes) {
            this.scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
            return this;
        }

        /**
         * Embeds only these identity claims.
         *
         * @param claimIds the claim ids
         * @return this builder
         */
        public Builder identityClaimIds(List<String> claimIds) {
            this.identityClaimIds = List.copyOf(Objects.requireNonNull(claimIds, "identityClaimIds"));
            return this;
        }

        /**
         * Sets the start's idempotency key: a repeated start with the same id returns the same mission (the Python
         * SDK derives it as the SHA-256 of {@code [mission label, ...]}).
         *
         * @param id 1 to 255 printable ASCII characters
         * @return this builder
         */
        public Builder authorityRequestId(String id) {
            Objects.requireNonNull(id, "authorityRequestId");
            if (!KEY.matcher(id).matches()) {
                throw new IllegalArgumentException("authorityRequestId: must be 1 to 255 printable ASCII characters");
            }
            this.authorityRequestId = id;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public MissionRequest build() {
            return new MissionRequest(this);
        }

        private static String id(String name, String v) {
            Objects.requireNonNull(v, name);
            if (!ID.matcher(v).matches()) {
                throw new IllegalArgumentException(name + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            return v;
        }

        private static Duration seconds(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(PassportRequest.MIN_TTL) < 0
                    || d.compareTo(PassportRequest.MAX_TTL) > 0
                    || d.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(name + ": must be whole seconds from 60 to 3600 s, was " + d);
            }
            return d;
        }
    }
}
