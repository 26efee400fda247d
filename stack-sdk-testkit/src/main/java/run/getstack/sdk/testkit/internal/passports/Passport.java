package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. An issued passport and its server-side state; guarded by the state lock. */
public final class Passport {
    /** Id, {@code pp_…}. */
    public final String jti;
    /** The mission the passport belongs to (wire protocol §3.1); a child carries its parent's. */
    public final @Nullable String missionId;
    /** The checkpoints reported, oldest first: {@code {at, services_used, actions_count, summary}}. */
    public final List<ObjectNode> checkpoints = new java.util.ArrayList<>();
    /** The checkout review, once checked out. */
    public @Nullable String checkoutStatus;
    /** The checkout summary, once checked out. */
    public @Nullable String checkoutSummary;
    /** Operator. */
    public final String operatorId;
    /** Agent. */
    public final String agentId;
    /** Session. */
    public final String sessionId;
    /** Delegation depth. */
    public final int depth;
    /** Parent jti, or null for a root. */
    public final @Nullable String parentJti;
    /** Ancestors, root first. */
    public final List<String> chain;
    /** Granted services. */
    public final List<ServiceScope> services;
    /** Intent summary, or null. */
    public final @Nullable String intentSummary;
    /** Intent services. */
    public final List<String> intentServices;
    /** Accountability mode at issue. */
    public final String mode;
    /** Checkpoint interval in seconds, or null in standard mode. */
    public final @Nullable Integer checkpointInterval;
    /** Requested TTL in seconds. */
    public final long requestedTtl;
    /** Issue time. */
    public final Instant issuedAt;
    /** Expiry (moved by checkpoints). */
    public Instant expiresAt;
    /** Signed claims. */
    public ObjectNode claims;
    /** The current token. */
    public String token;
    /** Whether revoked. */
    public boolean revoked;
    /** Why, once revoked. */
    public @Nullable String revokedReason;
    /** When, once revoked. */
    public @Nullable Instant revokedAt;
    /** When checked out, or null. */
    public @Nullable Instant checkedOutAt;
    /** Whether credential_burst fired for it. */
    public boolean burstFired;
    /** Whether scope_drift fired for it. */
    public boolean driftFired;
    /** Warnings raised. */
    public int warnings;
    /** Criticals raised. */
    public int criticals;
    /** The identity claims it carries ({@code stk.identity_claims[].claim_id}), in token order. */
    public List<String> claimIds = List.of();
    /** The type of the feed event that revoked it (wire protocol §7.2), once revoked. */
    public @Nullable String revocationType;

    Passport(
            String jti,
            @Nullable String missionId,
            String operatorId,
            String agentId,
            String sessionId,
            int depth,
            @Nullable String parentJti,
            List<String> chain,
            List<ServiceScope> services,
            @Nullable String intentSummary,
            List<String> intentServices,
            String mode,
            @Nullable Integer checkpointInterval,
            long requestedTtl,
            Instant issuedAt,
            Instant expiresAt,
            ObjectNode claims,
            String token) {
        this.jti = jti;
        this.missionId = missionId;
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.sessionId = sessionId;
        this.depth = depth;
        this.parentJti = parentJti;
        this.chain = List.copyOf(chain);
        this.services = List.copyOf(services);
        this.intentSummary = intentSummary;
        this.intentServices = List.copyOf(intentServices);
        this.mode = mode;
        this.checkpointInterval = checkpointInterval;
        this.requestedTtl = requestedTtl;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.claims = claims;
        this.token = token;
    }

    /**
     * Whether its services include a connection.
     *
     * @param connectionId connection
     * @return the answer
     */
    public boolean containsConnection(String connectionId) {
        return services.stream().anyMatch(s -> s.connectionId().equals(connectionId));
    }
}
