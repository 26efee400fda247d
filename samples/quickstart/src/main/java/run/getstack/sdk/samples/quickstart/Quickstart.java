package run.getstack.sdk.samples.quickstart;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckoutResult;
import run.getstack.sdk.passport.CheckpointRequest;
import run.getstack.sdk.passport.CheckpointResult;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.VerifiedPassport;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * The SDK used as an agent would: get a passport, verify it offline, report a checkpoint, check out, and see the
 * checked-out passport refused. Runs against an in-process fake control plane, or against a real STACK when
 * {@code STACK_BASE_URL}, {@code STACK_API_KEY} and {@code STACK_AGENT_ID} are set.
 *
 * <pre>{@code ./mvnw -B -ntp -q -pl samples/quickstart -am -DskipTests package exec:java}</pre>
 */
public final class Quickstart {
    /** The provider the demo agent is granted. */
    static final String PROVIDER = "openai";
    /** The scope it is granted on {@link #PROVIDER}. */
    static final String GRANTED_SCOPE = "chat";
    /** A scope the connection has but the agent was not granted. */
    static final String OTHER_SCOPE = "embeddings";

    private Quickstart() {}

    /**
     * Runs the demo and prints what happens.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        String baseUrl = System.getenv("STACK_BASE_URL");
        if (baseUrl == null || baseUrl.isBlank()) {
            runWithFake(System.out);
            return;
        }
        String agentId = System.getenv("STACK_AGENT_ID");
        if (agentId == null || agentId.isBlank()) {
            System.err.println("STACK_BASE_URL is set: set STACK_AGENT_ID (and STACK_API_KEY) as well");
            System.exit(2);
            return;
        }
        String issuer = System.getenv("STACK_ISSUER");
        // no API key passed: StackClient reads STACK_API_KEY from the environment itself
        runAgent(
                baseUrl.trim().replaceAll("/+$", ""),
                null,
                agentId.trim(),
                issuer == null || issuer.isBlank() ? PassportVerifier.DEFAULT_ISSUER : issuer.trim(),
                System.out);
    }

    /**
     * Starts the fake control plane, seeds an agent with one grant, runs the agent and checks the audit chain.
     *
     * @param out where the lines go
     */
    static void runWithFake(PrintStream out) {
        try (FakeControlPlane fake =
                FakeControlPlane.builder().clock(Clock.systemUTC()).start()) {
            String agentId = fake.seed().agent("quickstart-bot", "enforced"); // checkpoints extend its passport
            String connectionId =
                    fake.seed().connection(PROVIDER, "sk-demo-not-a-real-key", GRANTED_SCOPE, OTHER_SCOPE);
            fake.seed().grant(agentId, connectionId, GRANTED_SCOPE);
            out.println("fake control plane at " + fake.baseUrl());
            out.println("seeded agent " + agentId + " with " + PROVIDER + ": " + GRANTED_SCOPE + " on " + connectionId);

            runAgent(fake.baseUrl(), fake.operatorApiKey(), agentId, FakeControlPlane.DEFAULT_ISSUER, out);

            ChainVerification chain = fake.auditLog().verifyChain();
            out.println("audit chain " + (chain.valid() ? "verifies" : "is BROKEN at " + chain.firstBadEntryId()) + " ("
                    + chain.checked() + " entries)");
        }
    }

    /**
     * What an agent does with the SDK.
     *
     * @param baseUrl the control plane
     * @param apiKey the API key, or null to read {@code STACK_API_KEY}
     * @param agentId the agent
     * @param issuer the passport issuer to expect
     * @param out where the lines go
     */
    static void runAgent(String baseUrl, @Nullable String apiKey, String agentId, String issuer, PrintStream out) {
        PassportRequest request = PassportRequest.builder()
                .intent(Intent.of("answer one support question", List.of(PROVIDER)))
                .build();
        StackClient.Builder builder =
                StackClient.builder().baseUrl(baseUrl).agentId(agentId).passportRequest(request);
        if (apiKey != null) {
            builder.apiKey(apiKey);
        }
        try (StackClient client = builder.build();
                PassportVerifier verifier = PassportVerifier.builder()
                        .jwksUrl(baseUrl + "/v1/.well-known/jwks.json")
                        .expectedIssuer(issuer)
                        .expectedAudience(PassportVerifier.DEFAULT_AUDIENCE)
                        .build()) {
            // 1. the agent's own passport: issued on first use, refreshed ahead of expiry
            Passport passport = client.passport().current();

            // 2. offline verification, as a service receiving the passport would do it; the token leaves its
            //    Secret only to be verified and is never printed
            VerifiedPassport verified = verifier.verify(passport.token().revealPlaintext());
            out.println(
                    "passport " + passport.jti() + " expires " + passport.expiresAt() + " scopes " + scopes(verified));
            out.println("  " + lifetime(passport, verified.checkpointInterval(), request.ttl()));
            out.println("verified offline with key " + verified.keyId() + " (issuer " + verified.issuer() + ")");
            out.println(
                    "allows(" + PROVIDER + ", " + GRANTED_SCOPE + ") = " + verified.allows(PROVIDER, GRANTED_SCOPE));
            out.println("allows(" + PROVIDER + ", " + OTHER_SCOPE + ") = " + verified.allows(PROVIDER, OTHER_SCOPE));

            // 3. report progress, then end the mission
            CheckpointResult checkpoint = client.passports()
                    .checkpoint(
                            passport, new CheckpointRequest(List.of(PROVIDER), 1, List.of(), "answered one question"));
            out.println("checkpoint accepted=" + checkpoint.accepted() + ", now expires " + checkpoint.expiresAt());
            out.println(
                    "  " + expiryChange(passport.expiresAt(), checkpoint.expiresAt(), verified.checkpointInterval()));
            Passport latest = checkpoint.resignedPassport().orElse(passport);
            CheckoutResult checkout = client.passports().checkout(latest, CheckoutRequest.success("question answered"));
            out.println("checked out " + checkout.jti() + ": " + checkout.status());
            out.println("  " + checkoutStatus(checkout.status()));

            // 4. a checked-out passport is refused before anything is sent
            try {
                client.passports().requireUsable(latest);
                out.println("UNEXPECTED: the checked-out passport is still usable");
            } catch (StackPassportCheckedOutException e) {
                out.println("refused locally: " + e.getMessage());
            }
        }
    }

    /**
     * Explains the passport's lifetime: an {@code enforced} agent's passport lives at most its checkpoint interval,
     * whatever TTL was asked for.
     *
     * @param passport the passport
     * @param checkpointInterval its checkpoint interval, or null (a {@code standard} agent)
     * @param requested the TTL asked for
     * @return one line
     */
    static String lifetime(Passport passport, @Nullable Duration checkpointInterval, Duration requested) {
        long seconds = passport.lifetime().toSeconds();
        if (checkpointInterval == null) {
            return "lifetime " + seconds + " s: the TTL asked for (no checkpoints for this agent)";
        }
        return "lifetime " + seconds + " s: an agent with checkpoints gets at most its checkpoint interval ("
                + checkpointInterval.toSeconds() + " s), whatever TTL it asks for (here "
                + requested.toSeconds() + " s)";
    }

    /**
     * Explains what a checkpoint did to the passport's expiry.
     *
     * @param before the expiry before the checkpoint
     * @param after the expiry the checkpoint reported
     * @param checkpointInterval the passport's checkpoint interval, or null
     * @return one line
     */
    static String expiryChange(Instant before, Instant after, @Nullable Duration checkpointInterval) {
        String interval =
                checkpointInterval == null ? "the checkpoint interval" : checkpointInterval.toSeconds() + " s";
        if (after.isAfter(before)) {
            return "the checkpoint moved the expiry "
                    + Duration.between(before, after).toMillis()
                    + " ms later: an enforced agent's passport lives " + interval
                    + " past its last accepted checkpoint, so checkpointing in time keeps it alive";
        }
        if (after.equals(before)) {
            return "the checkpoint left the expiry where it was: only an enforced agent's checkpoint extends its"
                    + " passport (a logged agent's checkpoint is recorded, its expiry stays)";
        }
        return "the checkpoint moved the expiry "
                + Duration.between(after, before).toMillis()
                + " ms earlier: the control plane's expiry is the one that counts";
    }

    /**
     * Explains the status STACK's review gave a checked-out passport.
     *
     * @param status {@code clean}, {@code flagged} or {@code blocked}
     * @return one line
     */
    static String checkoutStatus(String status) {
        return switch (status) {
            case "clean" ->
                "clean: the review found nothing: no security event on this passport, only the services its intent"
                        + " named were used, and the outcome was a success";
            case "flagged" ->
                "flagged: a warning-level security event, a service outside the intent, or a failed outcome;"
                        + " look at the agent's security events";
            case "blocked" ->
                "blocked: a critical security event was recorded; the agent gets no new passport until an operator"
                        + " unblocks it (POST /v1/agents/{id}/unblock)";
            default -> status + ": a status this sample does not know";
        };
    }

    private static String scopes(VerifiedPassport passport) {
        return passport.services().stream()
                .map(s -> s.serviceName() + ": " + String.join(", ", s.scopes()))
                .collect(Collectors.joining("; ", "[", "]"));
    }
}
