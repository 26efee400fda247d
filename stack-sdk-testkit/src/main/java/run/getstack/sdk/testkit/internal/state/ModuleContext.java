package run.getstack.sdk.testkit.internal.state;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.route.RouteGuard;

/**
 * Internal, not for public use. What a {@link FakeModule} installs into: the state (register stores), the services
 * registry, the settings, and the route list.
 */
public final class ModuleContext {
    private final FakeState state;
    private final Services services;
    private final FakeConfig config;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, List<RouteGuard>> guards = new LinkedHashMap<>();

    /**
     * Creates a context.
     *
     * @param state the state
     * @param services the services
     * @param config the settings
     */
    public ModuleContext(FakeState state, Services services, FakeConfig config) {
        this.state = state;
        this.services = services;
        this.config = config;
    }

    /**
     * The state.
     *
     * @return the state
     */
    public FakeState state() {
        return state;
    }

    /**
     * The services.
     *
     * @return the registry
     */
    public Services services() {
        return services;
    }

    /**
     * The settings.
     *
     * @return the settings
     */
    public FakeConfig config() {
        return config;
    }

    /**
     * Declares routes.
     *
     * @param declared routes
     */
    public void routes(Route... declared) {
        routes.addAll(List.of(declared));
    }

    /**
     * Every route declared so far.
     *
     * @return a copy
     */
    public List<Route> declaredRoutes() {
        return List.copyOf(routes);
    }

    /**
     * Puts a guard in front of a route another module declares (the route must exist when the fake starts).
     *
     * @param method the route's method
     * @param pattern the route's pattern, exactly as declared
     * @param guard the check
     */
    public void guard(String method, String pattern, RouteGuard guard) {
        guards.computeIfAbsent(method + " " + pattern, k -> new ArrayList<>()).add(guard);
    }

    /**
     * Every guard declared so far, by {@code "METHOD pattern"}.
     *
     * @return a copy
     */
    public Map<String, List<RouteGuard>> declaredGuards() {
        Map<String, List<RouteGuard>> copy = new LinkedHashMap<>();
        guards.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }
}
