package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.route.AgentRule;
import run.getstack.sdk.testkit.internal.route.Call;

/**
 * Internal, not for public use. The agent rules (wire protocol §2.4) of routes that take a passport: an agent acts
 * only for itself and on its own passports.
 */
public final class PassportRules {
    private PassportRules() {}

    static ApiError agentDenied() {
        return ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
    }

    static ApiError notYours() {
        return ApiError.reason(403, "FORBIDDEN", "Passport belongs to another agent", "passport_not_yours");
    }

    private static @Nullable String bodyText(Call call, String field) {
        try {
            JsonNode n = Json.MAPPER.readTree(call.request().body());
            return n != null && n.path(field).isTextual() ? n.path(field).asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses a passport token whose {@code sub} is another agent (an unreadable token passes on, for the handler
     * to refuse).
     *
     * @param token the token or null
     * @param agentId the agent principal
     * @throws ApiError 403 {@code passport_not_yours}
     */
    public static void requireTokenSub(@Nullable String token, String agentId) {
        if (token == null) {
            return;
        }
        String sub;
        try {
            sub = Jws.parse(token).claims().path("sub").asText("");
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!sub.equals(agentId)) {
            throw notYours();
        }
    }

    /** The agent may name only itself in the body's {@code agent_id}. */
    static final AgentRule BODY_AGENT_IS_SELF = (call, agentId) -> {
        String target = bodyText(call, "agent_id");
        if (target != null && !target.equals(agentId)) {
            throw agentDenied();
        }
        return call;
    };

    /**
     * The body's token field must be the agent's own passport.
     *
     * @param field body field
     * @return the rule
     */
    static AgentRule bodyTokenIsOwn(String field) {
        return (call, agentId) -> {
            requireTokenSub(bodyText(call, field), agentId);
            return call;
        };
    }

    /** {@code X-Passport-Token}, when sent, must be the agent's own passport. */
    public static final AgentRule HEADER_TOKEN_IS_OWN = (call, agentId) -> {
        requireTokenSub(call.header("x-passport-token"), agentId);
        return call;
    };

    /**
     * The passport in the path must be the agent's own (an unknown one passes on, for the handler's 404).
     *
     * @param passports the passports
     * @return the rule
     */
    static AgentRule pathPassportIsOwn(PassportService passports) {
        return (call, agentId) -> {
            Passport p = passports.find(call.param(0));
            if (p != null && !p.agentId.equals(agentId)) {
                throw notYours();
            }
            return call;
        };
    }

    /** A listing narrowed to the agent's own passports. */
    static final AgentRule ONLY_OWN_LISTED = (call, agentId) -> call.withQuery("agent_id", agentId);
}
