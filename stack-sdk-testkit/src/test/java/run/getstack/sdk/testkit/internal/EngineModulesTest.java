package run.getstack.sdk.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.proxy.Proxy;
import run.getstack.sdk.testkit.internal.route.Access;
import run.getstack.sdk.testkit.internal.route.Route;
import run.getstack.sdk.testkit.internal.state.FakeConfig;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.time.TestClock;

/** The module list: a resource is one module; a route declared twice across modules fails at start. */
class EngineModulesTest {
    private static final Proxy NO_UPSTREAM = call -> {
        throw new ApiError(502, "UPSTREAM_ERROR", "no upstream in this test", null);
    };

    private static FakeConfig config() {
        return new FakeConfig("https://issuer.test", new DetectorConfig(), Duration.ofHours(1), NO_UPSTREAM);
    }

    @Test
    void aModuleRedeclaringAnotherModulesRouteFailsAtStart() {
        List<Supplier<FakeModule>> modules = new ArrayList<>(Engine.MODULES);
        modules.add(() -> ctx -> ctx.routes(Route.get("/v1/agents/{agent}")
                .origin(RouteOrigin.EXTENSION)
                .access(Access.open())
                .handler(call -> EngineResponse.noContent())));
        assertThatThrownBy(() -> new Engine(TestClock.create(), config(), false, modules))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("duplicate route GET /v1/agents/{agent}");
    }

    @Test
    void aNewResourceIsOneModuleInTheList() {
        List<Supplier<FakeModule>> modules = new ArrayList<>(Engine.MODULES);
        modules.add(() -> ctx -> ctx.routes(Route.get("/v1/widgets")
                .origin(RouteOrigin.EXTENSION)
                .access(Access.open())
                .handler(call -> EngineResponse.noContent())));
        Engine engine = new Engine(TestClock.create(), config(), false, modules);
        assertThat(engine.routes())
                .contains(new run.getstack.sdk.testkit.FakeRoute("GET", "/v1/widgets", RouteOrigin.EXTENSION));
        assertThat(engine.routes())
                .hasSize(new Engine(TestClock.create(), config(), false, Engine.MODULES)
                                .routes()
                                .size()
                        + 1);
    }

    @Test
    void aGuardOnARouteNoModuleDeclaresFailsAtStart() {
        List<Supplier<FakeModule>> modules = new ArrayList<>(Engine.MODULES);
        modules.add(() -> ctx -> ctx.guard("POST", "/v1/nowhere", call -> {}));
        assertThatThrownBy(() -> new Engine(TestClock.create(), config(), false, modules))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /v1/nowhere");
    }
}
