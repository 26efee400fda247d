package run.getstack.sdk.testkit.internal.agents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.grants.GrantService;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Agents (wire protocol §2): register, change, delete, unblock. Deleting or suspending
 * an agent revokes its passports through {@link PassportRevocation}; deleting it drops its grants through {@link
 * GrantService}. Every method runs under the state lock.
 */
public final class AgentService {
    /** Today's hosted rule (live tool {@code stack_register_agent}): lower-case letters, digits, '-' and '_'. */
    private static final Pattern AGENT_NAME = Pattern.compile("^[a-z0-9][a-z0-9_\\-]*[a-z0-9]$");

    private static final String AGENT_NAME_RULE = "must match ^[a-z0-9][a-z0-9_-]*[a-z0-9]$";
    private static final Pattern PROFILE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern KEY_MODE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /** The one preset STACK names; it expands as {@code stack_register_agent} says. */
    static final String PROXIED_LLM_BOT = "proxied-llm-bot";

    private static final List<String> MODES = List.of("enforced", "logged", "standard");
    private static final List<String> ACTIONS = List.of("notify", "block");
    private static final List<String> ACCESS = List.of("direct", "proxy_preferred", "proxy_only");

    private final FakeState state;
    private final AgentStore store;
    private final Services services;

    AgentService(FakeState state, AgentStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    /**
     * An agent by id.
     *
     * @param id agent id
     * @return the agent or null
     */
    public @Nullable Agent find(String id) {
        return store.agents.get(id);
    }

    /**
     * An agent by id, for seeding.
     *
     * @param id agent id
     * @return the agent
     * @throws IllegalArgumentException when unknown
     */
    public Agent require(String id) {
        Agent a = store.agents.get(id);
        if (a == null) {
            throw new IllegalArgumentException("unknown agent: " + id);
        }
        return a;
    }

    /**
     * An agent of the operator.
     *
     * @param operatorId operator
     * @param id agent id
     * @return the agent
     * @throws ApiError 404 otherwise
     */
    public Agent own(String operatorId, String id) {
        Agent a = store.agents.get(id);
        if (a == null || !a.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Agent");
        }
        return a;
    }

    /**
     * The operator's agents in registration order.
     *
     * @param operatorId operator
     * @return agents
     */
    List<Agent> list(String operatorId) {
        return store.agents.values().stream()
                .filter(a -> a.operatorId.equals(operatorId))
                .toList();
    }

    /**
     * Registers an agent.
     *
     * @param operatorId operator
     * @param b the register body
     * @param trace request id or null
     * @return the agent
     */
    public Agent register(String operatorId, Body b, @Nullable String trace) {
        String name = b.reqString("name", 64);
        if (!AGENT_NAME.matcher(name).matches()) {
            throw ApiError.invalid("name", AGENT_NAME_RULE);
        }
        String description = b.optString("description", 256);
        String mode = b.optEnum("accountability_mode", MODES);
        String onWarning = b.optEnum("on_warning", ACTIONS);
        String onCritical = b.optEnum("on_critical", ACTIONS);
        String access = b.optEnum("credential_access", ACCESS);
        String icon = b.optString("icon_url", 100_000);
        String profile = pattern(b, "profile", PROFILE);
        String keyMode = pattern(b, "key_mode", KEY_MODE);
        requireFreeName(operatorId, name);
        Agent a = new Agent(Wire.id("agt_"), operatorId, name, state.now());
        a.description = description;
        a.profile = profile;
        if (PROXIED_LLM_BOT.equals(profile)) { // the preset first; explicit fields below override it
            a.mode = "logged";
            a.credentialAccess = "proxy_only";
            a.keyMode = "stack_managed";
        }
        if (keyMode != null) {
            a.keyMode = keyMode;
        }
        if (mode != null) {
            a.mode = mode;
        }
        if (onWarning != null) {
            a.onWarning = onWarning;
        }
        if (onCritical != null) {
            a.onCritical = onCritical;
        }
        if (access != null) {
            a.credentialAccess = access;
        }
        a.iconUrl = icon;
        store.agents.put(a.id, a);
        audit().append(operatorId, a.id, null, "agent.register", "success", trace, null);
        return a;
    }

    private static @Nullable String pattern(Body b, String field, Pattern rule) {
        String v = b.optString(field, 64);
        if (v != null && !rule.matcher(v).matches()) {
            throw ApiError.invalid(field, "must match " + rule.pattern());
        }
        return v;
    }

    private void requireFreeName(String operatorId, String name) {
        for (Agent other : store.agents.values()) {
            if (other.operatorId.equals(operatorId) && other.name.equals(name)) {
                throw ApiError.reason(409, "CONFLICT", "Agent name already taken", "name_taken");
            }
        }
    }

    /**
     * Changes settings; suspending revokes the agent's passports. {@code passport_blocked} is refused: it is
     * cleared only by {@code POST /v1/agents/{id}/unblock}.
     *
     * @param operatorId operator
     * @param a the agent
     * @param b the patch body
     * @param trace request id or null
     */
    public void patch(String operatorId, Agent a, Body b, @Nullable String trace) {
        if (b.has("passport_blocked")) {
            throw ApiError.invalid(
                    "passport_blocked", "cannot be set; use POST /v1/agents/{id}/unblock to clear a block");
        }
        String name = b.optString("name", 64);
        if (name != null && !AGENT_NAME.matcher(name).matches()) {
            throw ApiError.invalid("name", AGENT_NAME_RULE);
        }
        String keyMode = pattern(b, "key_mode", KEY_MODE);
        if (keyMode != null && !keyMode.equals(a.keyMode)) {
            throw ApiError.invalid("key_mode", "is fixed at registration");
        }
        if (b.has("profile")) {
            throw ApiError.invalid("profile", "is a registration preset; change the fields themselves");
        }
        String description = b.optString("description", 256);
        String status = b.optEnum("status", List.of("active", "suspended"));
        String mode = b.optEnum("accountability_mode", MODES);
        String onWarning = b.optEnum("on_warning", ACTIONS);
        String onCritical = b.optEnum("on_critical", ACTIONS);
        String access = b.optEnum("credential_access", ACCESS);
        String icon = b.optString("icon_url", 100_000);
        if (name != null && !name.equals(a.name)) {
            requireFreeName(operatorId, name);
            a.name = name;
        }
        if (description != null) {
            a.description = description;
        }
        if (mode != null) {
            a.mode = mode;
        }
        if (onWarning != null) {
            a.onWarning = onWarning;
        }
        if (onCritical != null) {
            a.onCritical = onCritical;
        }
        if (access != null) {
            a.credentialAccess = access;
        }
        if (icon != null) {
            a.iconUrl = icon;
        }
        audit().append(operatorId, a.id, null, "agent.update", "success", trace, null);
        if (status != null && !status.equals(a.status)) {
            a.status = status;
            if (status.equals("suspended")) {
                services.get(PassportRevocation.class).revokeAgentPassports(operatorId, a.id, "Agent suspended", trace);
            }
        }
    }

    /**
     * Deletes an agent: revokes its passports, drops its grants.
     *
     * @param operatorId operator
     * @param a the agent
     * @param trace request id
     * @return the response body
     */
    ObjectNode delete(String operatorId, Agent a, @Nullable String trace) {
        int[] counts =
                services.get(PassportRevocation.class).revokeAgentPassports(operatorId, a.id, "Agent deleted", trace);
        services.get(GrantService.class).removeAgent(a.id);
        store.agents.remove(a.id);
        audit().append(operatorId, a.id, null, "agent.delete", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("id", a.id);
        o.put("deleted", true);
        o.put("revoked_count", counts[0] + counts[1]);
        return o;
    }

    /**
     * Clears the passport block.
     *
     * @param operatorId operator
     * @param a the agent
     * @param trace request id
     */
    void unblock(String operatorId, Agent a, String trace) {
        a.passportBlocked = false;
        audit().append(operatorId, a.id, null, "agent.unblock", "success", trace, null);
    }

    /**
     * The wire form of an agent (§2.1).
     *
     * @param a agent
     * @return JSON
     */
    public ObjectNode json(Agent a) {
        ObjectNode o = Json.object();
        o.put("id", a.id);
        o.put("operator_id", a.operatorId);
        o.put("name", a.name);
        o.put("description", a.description);
        o.put("status", a.status);
        o.put("accountability_mode", a.mode);
        o.put("on_warning", a.onWarning);
        o.put("on_critical", a.onCritical);
        o.put("credential_access", a.credentialAccess);
        o.put("profile", a.profile);
        o.put("key_mode", a.keyMode);
        o.put("icon_url", a.iconUrl);
        o.put("passport_blocked", a.passportBlocked);
        o.set(
                "allowed_connections",
                Json.strings(services.get(GrantService.class).connectionIds(a.id)));
        if (a.publicX == null) {
            o.putNull("public_key_jwk");
        } else {
            ObjectNode jwk = o.putObject("public_key_jwk");
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("x", a.publicX);
        }
        o.put("created_at", Wire.iso(a.createdAt));
        return o;
    }
}
