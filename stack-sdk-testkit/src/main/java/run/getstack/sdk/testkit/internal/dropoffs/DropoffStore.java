package run.getstack.sdk.testkit.internal.dropoffs;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Every drop-off by id, in creation order; guarded by the state lock. */
final class DropoffStore implements Store {
    final Map<String, Dropoff> dropoffs = new LinkedHashMap<>();

    @Override
    public void reset() {
        dropoffs.clear();
    }
}
