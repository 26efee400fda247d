package run.getstack.sdk.testkit.internal.leases;

import java.time.Instant;

/** Internal, not for public use. A credential lease (wire protocol §5); guarded by the state lock. */
final class Lease {
    final String id;
    final String operatorId;
    final String agentId;
    final String jti;
    final String connectionId;
    final String provider;
    final Instant issuedAt;
    Instant expiresAt;
    final Instant maxExpiresAt;
    final long requestedTtl;
    LeaseState state = LeaseState.ACTIVE;

    Lease(
            String id,
            String operatorId,
            String agentId,
            String jti,
            String connectionId,
            String provider,
            Instant issuedAt,
            Instant expiresAt,
            Instant maxExpiresAt,
            long requestedTtl) {
        this.id = id;
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.jti = jti;
        this.connectionId = connectionId;
        this.provider = provider;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.maxExpiresAt = maxExpiresAt;
        this.requestedTtl = requestedTtl;
    }
}
