package run.getstack.sdk.testkit.internal.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Verification sessions and claims, in creation order; guarded by the state lock. */
final class IdentityStore implements Store {
    final Map<String, IdentityService.Session> sessions = new LinkedHashMap<>();
    final Map<String, IdentityService.Claim> claims = new LinkedHashMap<>();

    @Override
    public void reset() {
        sessions.clear();
        claims.clear();
    }
}
