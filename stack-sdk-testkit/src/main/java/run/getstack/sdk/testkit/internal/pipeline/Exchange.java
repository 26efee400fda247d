package run.getstack.sdk.testkit.internal.pipeline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.route.MemberPrincipal;
import run.getstack.sdk.testkit.internal.route.Route;

/**
 * Internal, not for public use. One request on its way through the filters: each filter reads what the earlier ones
 * settled (request id, route, principal) and adds its own. Confined to the thread that serves the request.
 */
public final class Exchange {
    private EngineRequest request;
    private final boolean unreadable;
    private final long bodySize;
    private @Nullable Route route;
    private List<String> params = List.of();
    private @Nullable String operatorId;
    private @Nullable String agentId;
    private @Nullable MemberPrincipal member;
    private final Map<Class<?>, Object> attributes = new HashMap<>();

    /**
     * Creates an exchange.
     *
     * @param request the request as read
     * @param bodySize the body's size as announced or read
     * @param unreadable whether the body could not be read
     */
    public Exchange(EngineRequest request, long bodySize, boolean unreadable) {
        this.request = request;
        this.bodySize = bodySize;
        this.unreadable = unreadable;
    }

    /**
     * The request.
     *
     * @return the request
     */
    public EngineRequest request() {
        return request;
    }

    /**
     * Replaces the request (the request-id filter settles the id).
     *
     * @param request the new request
     */
    public void request(EngineRequest request) {
        this.request = request;
    }

    /**
     * The body size.
     *
     * @return bytes
     */
    public long bodySize() {
        return bodySize;
    }

    /**
     * Whether the body could not be read.
     *
     * @return the flag
     */
    public boolean unreadable() {
        return unreadable;
    }

    /**
     * The route, once routed.
     *
     * @return the route
     * @throws IllegalStateException before routing
     */
    public Route route() {
        if (route == null) {
            throw new IllegalStateException("not routed yet");
        }
        return route;
    }

    /**
     * Sets the route.
     *
     * @param route the route
     * @param params its path parameters
     */
    public void routed(Route route, List<String> params) {
        this.route = route;
        this.params = List.copyOf(params);
    }

    /**
     * Sets the principal.
     *
     * @param operatorId operator
     * @param agentId agent principal or null
     * @param member team member or null
     */
    public void authenticated(String operatorId, @Nullable String agentId, @Nullable MemberPrincipal member) {
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.member = member;
    }

    /**
     * The team member calling, or null.
     *
     * @return the member
     */
    public @Nullable MemberPrincipal member() {
        return member;
    }

    /**
     * The authenticated operator, or null (public route, or not authenticated yet).
     *
     * @return the id
     */
    public @Nullable String operatorId() {
        return operatorId;
    }

    /**
     * The agent principal, or null.
     *
     * @return the id
     */
    public @Nullable String agentId() {
        return agentId;
    }

    /**
     * The call a handler sees.
     *
     * @return the call
     */
    public Call call() {
        return new Call(request, params, operatorId, agentId, member);
    }

    /**
     * Adopts a call an agent rule narrowed.
     *
     * @param call the call
     */
    public void narrowed(Call call) {
        this.request = call.request();
        this.params = call.params();
    }

    /**
     * Attaches a value for later filters or the HTTP front.
     *
     * @param type key
     * @param value value
     * @param <T> type
     */
    public <T> void attribute(Class<T> type, T value) {
        attributes.put(type, value);
    }

    /**
     * An attached value.
     *
     * @param type key
     * @param <T> type
     * @return the value or null
     */
    public <T> @Nullable T attribute(Class<T> type) {
        return type.cast(attributes.get(type));
    }
}
