package run.getstack.sdk.testkit.internal.missions;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Every mission, in start order; guarded by the state lock. */
final class MissionStore implements Store {
    final Map<String, Mission> missions = new LinkedHashMap<>();
    /** What one proxied call to a provider charges its mission, in cents (none: free). */
    final Map<String, Long> proxyCallCents = new LinkedHashMap<>();

    @Override
    public void reset() {
        missions.clear();
        proxyCallCents.clear();
    }
}
