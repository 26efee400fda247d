package run.getstack.sdk.testkit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * Seeds one agent, from {@link Seed#newAgent(String)}:
 *
 * <pre>{@code
 * String bot = fake.seed().newAgent("bot")
 *         .mode(AccountabilityMode.ENFORCED)
 *         .credentialAccess(CredentialAccess.DIRECT)
 *         .onWarning(SignalAction.BLOCK)
 *         .create();
 * }</pre>
 *
 * <p>Unset settings keep the registration defaults (as {@code POST /v1/agents/register} without them), which are
 * hosted STACK's base posture: {@link AccountabilityMode#LOGGED} and {@link CredentialAccess#PROXY_ONLY}, so a test
 * sees what an agent registered on hosted STACK sees. The older posture STACK's REST pages document is one call
 * each: {@link #credentialAccess(CredentialAccess) credentialAccess(DIRECT)} for raw credentials and leases, {@link
 * #mode(AccountabilityMode) mode(ENFORCED)} for checkpoint-enforced passports. Not thread-safe; use one builder per
 * agent.
 */
public final class AgentSeed {
    private final Engine engine;
    private String operatorId;
    private final String name;
    private @Nullable AccountabilityMode mode;
    private @Nullable String description;
    private @Nullable SignalAction onWarning;
    private @Nullable SignalAction onCritical;
    private @Nullable CredentialAccess credentialAccess;
    private boolean suspended;
    private @Nullable Double baseline;

    AgentSeed(Engine engine, String operatorId, String name) {
        this.engine = engine;
        this.operatorId = operatorId;
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The operator that owns the agent; default the fake's default operator.
     *
     * @param operatorId {@code op_…}
     * @return this
     */
    public AgentSeed operator(String operatorId) {
        this.operatorId = Objects.requireNonNull(operatorId, "operatorId");
        return this;
    }

    /**
     * The accountability mode; default {@link AccountabilityMode#LOGGED} (hosted STACK's registration default).
     *
     * @param mode the mode
     * @return this
     */
    public AgentSeed mode(AccountabilityMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * A description.
     *
     * @param description at most 256 characters
     * @return this
     */
    public AgentSeed description(String description) {
        this.description = Objects.requireNonNull(description, "description");
        return this;
    }

    /**
     * What a warning signal does.
     *
     * @param action notify or block
     * @return this
     */
    public AgentSeed onWarning(SignalAction action) {
        this.onWarning = Objects.requireNonNull(action, "onWarning");
        return this;
    }

    /**
     * What a critical signal does.
     *
     * @param action notify or block
     * @return this
     */
    public AgentSeed onCritical(SignalAction action) {
        this.onCritical = Objects.requireNonNull(action, "onCritical");
        return this;
    }

    /**
     * How the agent may reach credentials; default {@link CredentialAccess#PROXY_ONLY} (hosted STACK's registration
     * default). {@link CredentialAccess#DIRECT} lets it read raw credentials and take leases.
     *
     * @param access e.g. {@link CredentialAccess#DIRECT}
     * @return this
     */
    public AgentSeed credentialAccess(CredentialAccess access) {
        this.credentialAccess = Objects.requireNonNull(access, "credentialAccess");
        return this;
    }

    /**
     * Creates the agent suspended ({@code status: suspended}): it gets no passports.
     *
     * @return this
     */
    public AgentSeed suspended() {
        this.suspended = true;
        return this;
    }

    /**
     * Fixes the agent's credential-burst baseline (see {@link Seed#baseline(String, double)}).
     *
     * @param requestsPerWindow not negative
     * @return this
     */
    public AgentSeed baseline(double requestsPerWindow) {
        if (!(requestsPerWindow >= 0)) {
            throw new IllegalArgumentException("requestsPerWindow must be >= 0");
        }
        this.baseline = requestsPerWindow;
        return this;
    }

    /**
     * Registers the agent as {@code POST /v1/agents} and then {@code PATCH /v1/agents/{id}} would (audited as such).
     *
     * @return the agent id ({@code agt_…})
     * @throws IllegalArgumentException if the fake refuses a value (e.g. a bad name)
     * @throws IllegalStateException if the name is taken
     */
    public String create() {
        String id = Seed.call(() -> engine.seedAgent(operatorId, name, mode == null ? null : mode.wireValue()));
        AgentSettings settings = new AgentSettings(engine, id);
        if (description != null) {
            settings.description(description);
        }
        if (onWarning != null) {
            settings.onWarning(onWarning);
        }
        if (onCritical != null) {
            settings.onCritical(onCritical);
        }
        if (credentialAccess != null) {
            settings.credentialAccess(credentialAccess);
        }
        if (suspended) {
            settings.suspended(true);
        }
        if (!settings.isEmpty()) {
            settings.apply();
        }
        if (baseline != null) {
            engine.seedBaseline(id, baseline);
        }
        return id;
    }

    @Override
    public String toString() {
        return "AgentSeed[" + name + ", " + (mode == null ? "default mode" : mode) + "]";
    }
}
