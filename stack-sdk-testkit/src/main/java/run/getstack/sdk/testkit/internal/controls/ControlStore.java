package run.getstack.sdk.testkit.internal.controls;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Policies by operator and agent, reviews by ref; guarded by the state lock. */
final class ControlStore implements Store {
    /** Key: operator id, newline, agent id or {@code *} for the account default. */
    final Map<String, ControlPolicy> policies = new LinkedHashMap<>();

    final Map<String, ControlReview> reviews = new LinkedHashMap<>();

    static String key(String operatorId, @org.jspecify.annotations.Nullable String agentId) {
        return operatorId + "\n" + (agentId == null ? "*" : agentId);
    }

    @Override
    public void reset() {
        policies.clear();
        reviews.clear();
    }
}
