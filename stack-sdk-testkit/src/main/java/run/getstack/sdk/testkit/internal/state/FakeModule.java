package run.getstack.sdk.testkit.internal.state;

/**
 * Internal, not for public use. One resource of the fake (agents, passports, leases, ...): it registers its store
 * with the state, offers its service to the other modules, and declares its routes. Adding a resource is a new
 * package with one of these plus one line in the module list ({@code Engine.MODULES}).
 */
public interface FakeModule {
    /**
     * Installs the module.
     *
     * @param ctx what a module may use
     */
    void install(ModuleContext ctx);
}
