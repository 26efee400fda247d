package run.getstack.sdk.testkit.internal.grants;

import java.util.HashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Grants by agent, then by connection (in grant order). */
final class GrantStore implements Store {
    final Map<String, Map<String, Grant>> grants = new HashMap<>();

    @Override
    public void reset() {
        grants.clear();
    }
}
