package run.getstack.sdk.testkit.internal.leases;

import java.util.HashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Leases by id. */
final class LeaseStore implements Store {
    final Map<String, Lease> leases = new HashMap<>();

    @Override
    public void reset() {
        leases.clear();
    }
}
