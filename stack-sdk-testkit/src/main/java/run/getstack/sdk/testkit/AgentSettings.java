package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Changes an existing agent's settings as {@code PATCH /v1/agents/{id}} would (audited as such), from {@link
 * Seed#agentSettings(String)}:
 *
 * <pre>{@code
 * fake.seed().agentSettings(agent).credentialAccess(CredentialAccess.PROXY_ONLY).apply();
 * fake.seed().agentSettings(agent).suspended(true).apply();
 * }</pre>
 *
 * <p>Only the settings given are changed. Not thread-safe; use one per change.
 */
public final class AgentSettings {
    private final Engine engine;
    private final String agentId;
    private final ObjectNode patch = Json.object();

    AgentSettings(Engine engine, String agentId) {
        this.engine = engine;
        this.agentId = Objects.requireNonNull(agentId, "agentId");
    }

    /**
     * The accountability mode.
     *
     * @param mode the mode
     * @return this
     */
    public AgentSettings mode(AccountabilityMode mode) {
        patch.put("accountability_mode", Objects.requireNonNull(mode, "mode").wireValue());
        return this;
    }

    /**
     * A description.
     *
     * @param description at most 256 characters
     * @return this
     */
    public AgentSettings description(String description) {
        patch.put("description", Objects.requireNonNull(description, "description"));
        return this;
    }

    /**
     * What a warning signal does.
     *
     * @param action notify or block
     * @return this
     */
    public AgentSettings onWarning(SignalAction action) {
        patch.put("on_warning", Objects.requireNonNull(action, "onWarning").wireValue());
        return this;
    }

    /**
     * What a critical signal does.
     *
     * @param action notify or block
     * @return this
     */
    public AgentSettings onCritical(SignalAction action) {
        patch.put("on_critical", Objects.requireNonNull(action, "onCritical").wireValue());
        return this;
    }

    /**
     * How the agent may reach credentials.
     *
     * @param access e.g. {@link CredentialAccess#PROXY_ONLY}
     * @return this
     */
    public AgentSettings credentialAccess(CredentialAccess access) {
        patch.put(
                "credential_access",
                Objects.requireNonNull(access, "credentialAccess").wireValue());
        return this;
    }

    /**
     * Suspends ({@code status: suspended}: no passports, its keys refused) or reactivates the agent.
     *
     * @param suspended the flag
     * @return this
     */
    public AgentSettings suspended(boolean suspended) {
        patch.put("status", suspended ? "suspended" : "active");
        return this;
    }

    boolean isEmpty() {
        return patch.isEmpty();
    }

    /**
     * Applies the changes.
     *
     * @throws IllegalArgumentException if the agent is unknown or the fake refuses a value
     */
    public void apply() {
        ObjectNode p = patch.deepCopy();
        Seed.call(() -> {
            engine.seedAgentPatch(agentId, p);
            return null;
        });
    }

    @Override
    public String toString() {
        return "AgentSettings[" + agentId + ", " + patch.size() + " change(s)]";
    }
}
