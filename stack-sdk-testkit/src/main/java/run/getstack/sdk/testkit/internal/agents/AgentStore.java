package run.getstack.sdk.testkit.internal.agents;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Agents by id, in registration order. */
final class AgentStore implements Store {
    final Map<String, Agent> agents = new LinkedHashMap<>();

    @Override
    public void reset() {
        agents.clear();
    }
}
