package run.getstack.sdk.testkit.internal.missions;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Every mission, in start order; guarded by the state lock. */
final class MissionStore implements Store {
    final Map<String, Mission> missions = new LinkedHashMap<>();

    @Override
    public void reset() {
        missions.clear();
    }
}
