package run.getstack.sdk.testkit.internal.operators;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Operators by id; a reset keeps the pinned ones (the fake's default operator). */
final class OperatorStore implements Store {
    final Map<String, Operator> operators = new LinkedHashMap<>();
    final Set<String> pinned = new HashSet<>();

    @Override
    public void reset() {
        operators.keySet().retainAll(pinned);
    }
}
