package run.getstack.sdk.testkit.internal.state;

import java.util.ArrayList;
import java.util.List;
import run.getstack.sdk.testkit.internal.route.Route;

/**
 * Internal, not for public use. What a {@link FakeModule} installs into: the state (register stores), the services
 * registry, the settings, and the route list.
 */
public final class ModuleContext {
    private final FakeState state;
    private final Services services;
    private final FakeConfig config;
    private final List<Route> routes = new ArrayList<>();

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
}
