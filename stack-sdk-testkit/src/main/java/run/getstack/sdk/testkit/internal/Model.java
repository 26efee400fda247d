package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.crypto.Envelope;

/** Internal, not for public use. The fake's mutable state objects; guarded by the engine's lock. */
final class Model {
    private Model() {}

    static final class Operator {
        final String id;
        final String name;
        final List<byte[]> keyHashes = new ArrayList<>();
        final SecretKey tenantKey;

        Operator(String id, String name, SecretKey tenantKey) {
            this.id = id;
            this.name = name;
            this.tenantKey = tenantKey;
        }
    }

    static final class Agent {
        final String id;
        final String operatorId;
        String name;

        @Nullable
        String description;

        String status = "active";
        String mode = "enforced";
        String onWarning = "notify";
        String onCritical = "block";
        String credentialAccess = "direct";

        @Nullable
        String iconUrl;

        boolean passportBlocked;
        final Instant createdAt;

        @Nullable
        Double seededBaseline;

        java.security.@Nullable PublicKey publicKey;

        @Nullable
        String publicX;

        final Map<String, Instant> seenJtis = new LinkedHashMap<>();

        final List<Instant> counted = new ArrayList<>();

        Agent(String id, String operatorId, String name, Instant createdAt) {
            this.id = id;
            this.operatorId = operatorId;
            this.name = name;
            this.createdAt = createdAt;
        }
    }

    record CatalogService(String id, String provider, String name, String authType, List<String> fields) {}

    static final class Connection {
        final String id;
        final String operatorId;
        final CatalogService service;
        final List<String> scopes;
        final String credRef;
        final Envelope secret;
        final Instant createdAt;

        Connection(
                String id,
                String operatorId,
                CatalogService service,
                List<String> scopes,
                String credRef,
                Envelope secret,
                Instant createdAt) {
            this.id = id;
            this.operatorId = operatorId;
            this.service = service;
            this.scopes = List.copyOf(scopes);
            this.credRef = credRef;
            this.secret = secret;
            this.createdAt = createdAt;
        }
    }

    record Grant(
            String agentId,
            String connectionId,
            String provider,
            List<String> scopes,
            List<ObjectNode> constraints,
            Instant createdAt) {}

    record ServiceScope(
            String connectionId, String provider, List<String> scopes, String credRef, List<ObjectNode> constraints) {}

    static final class Passport {
        final String jti;
        final String operatorId;
        final String agentId;
        final String sessionId;
        final int depth;
        final @Nullable String parentJti;
        final List<String> chain;
        final List<ServiceScope> services;
        final @Nullable String intentSummary;
        final List<String> intentServices;
        final String mode;
        final @Nullable Integer checkpointInterval;
        final long requestedTtl;
        final Instant issuedAt;
        Instant expiresAt;
        ObjectNode claims;
        String token;
        boolean revoked;

        @Nullable
        String revokedReason;

        @Nullable
        Instant revokedAt;

        @Nullable
        Instant checkedOutAt;

        boolean burstFired;
        boolean driftFired;
        int warnings;
        int criticals;

        Passport(
                String jti,
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
    }

    enum LeaseState {
        ACTIVE,
        RELEASED,
        REVOKED,
        CHECKED_OUT
    }

    static final class Lease {
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

    record RevocationEvent(
            long seq,
            String operatorId,
            String type,
            @Nullable String jti,
            @Nullable String agentId,
            @Nullable String sessionId,
            List<String> jtis,
            String reason,
            Instant at) {}

    static final class SigningKey {
        final String kid;
        final KeyPair pair;
        final Instant createdAt;

        @Nullable
        Instant retiredAt;

        SigningKey(String kid, KeyPair pair, Instant createdAt) {
            this.kid = kid;
            this.pair = pair;
            this.createdAt = createdAt;
        }
    }

    static final class ClientChainState {
        long lastSeq;
        String lastHash = "";
        final Map<String, String> acceptedFingerprints = new LinkedHashMap<>();
    }

    record Challenge(String id, String agentId, String challenge, Instant expiresAt) {}

    record Principal(Operator op, @Nullable Agent agent) {}

    record StoredResponse(
            String fingerprint, int status, @Nullable String body, Map<String, String> headers) {}
}
