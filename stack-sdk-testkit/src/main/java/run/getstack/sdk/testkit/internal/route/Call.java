package run.getstack.sdk.testkit.internal.route;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.EngineRequest;

/**
 * Internal, not for public use. One routed, authenticated request as a handler sees it.
 *
 * @param request the request
 * @param params path parameters in pattern order
 * @param callerOperatorId the authenticated operator, or null on a public route
 * @param agentId the agent principal, or null for operator keys and public routes
 * @param member the team member calling with its key, or null
 */
public record Call(
        EngineRequest request,
        List<String> params,
        @Nullable String callerOperatorId,
        @Nullable String agentId,
        @Nullable MemberPrincipal member) {
    /**
     * Creates a call.
     *
     * @param request the request
     * @param params path parameters
     * @param callerOperatorId operator or null
     * @param agentId agent principal or null
     * @param member member or null
     */
    public Call {
        params = List.copyOf(params);
    }

    /**
     * The authenticated operator's id.
     *
     * @return the id
     * @throws IllegalStateException on a public route
     */
    public String operatorId() {
        if (callerOperatorId == null) {
            throw new IllegalStateException("a public route has no operator");
        }
        return callerOperatorId;
    }

    /**
     * A path parameter.
     *
     * @param i index
     * @return the value
     */
    public String param(int i) {
        return params.get(i);
    }

    /**
     * The request id.
     *
     * @return the id
     */
    public String requestId() {
        return request.requestId();
    }

    /**
     * The query parameters.
     *
     * @return first value of each
     */
    public Map<String, String> query() {
        return request.query();
    }

    /**
     * A request header.
     *
     * @param name lower-case name
     * @return the value or null
     */
    public @Nullable String header(String name) {
        return request.header(name);
    }

    /**
     * The JSON body.
     *
     * @param emptyAllowed whether an empty body reads as {@code {}}
     * @return the body
     */
    public Body body(boolean emptyAllowed) {
        return Body.parse(request.body(), emptyAllowed);
    }

    /**
     * A copy with one query parameter set (an agent rule narrowing a listing).
     *
     * @param name parameter
     * @param value value
     * @return the copy
     */
    public Call withQuery(String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(request.query());
        q.put(name, value);
        EngineRequest r = new EngineRequest(
                request.method(), request.path(), q, request.headers(), request.body(), request.requestId());
        return new Call(r, params, callerOperatorId, agentId, member);
    }

    /**
     * A copy with one path parameter replaced.
     *
     * @param i index
     * @param value value
     * @return the copy
     */
    public Call withParam(int i, String value) {
        List<String> p = new ArrayList<>(params);
        p.set(i, Objects.requireNonNull(value));
        return new Call(request, p, callerOperatorId, agentId, member);
    }
}
