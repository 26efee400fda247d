package run.getstack.sdk.testkit.internal.oauth;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Refresh and access tokens by the hex SHA-256 of the token (never the token). */
final class TokenStore implements Store {
    /** A refresh token: its operator, and whether it was already exchanged. */
    static final class Refresh {
        final String operatorId;
        boolean used;

        Refresh(String operatorId) {
            this.operatorId = operatorId;
        }
    }

    /** An access token: its operator and expiry. */
    record Access(String operatorId, Instant expiresAt) {}

    final Map<String, Refresh> refresh = new HashMap<>();
    final Map<String, Access> access = new HashMap<>();

    @Override
    public void reset() {
        refresh.clear();
        access.clear();
    }
}
