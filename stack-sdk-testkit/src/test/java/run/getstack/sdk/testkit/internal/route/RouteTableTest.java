package run.getstack.sdk.testkit.internal.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.RouteOrigin;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;

class RouteTableTest {
    private static final Handler OK = call -> EngineResponse.noContent();

    private static Route route(Route.Builder b, RouteOrigin origin) {
        return b.origin(origin).access(Access.operator(MemberRole.READ)).handler(OK);
    }

    @Test
    void aDuplicateRouteFailsAtStartEvenWithOtherParameterNames() {
        Route first = route(Route.get("/v1/things/{id}"), RouteOrigin.STACK_V1);
        Route second = route(Route.get("/v1/things/{thing}"), RouteOrigin.EXTENSION);
        assertThatThrownBy(() -> new RouteTable(List.of(first, second), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("duplicate route GET /v1/things/{thing}");
        Route otherMethod = route(Route.delete("/v1/things/{thing}"), RouteOrigin.EXTENSION);
        assertThat(new RouteTable(List.of(first, otherMethod), false).describe())
                .hasSize(2);
    }

    @Test
    void aRouteWithoutOriginOrAccessIsRefused() {
        assertThatThrownBy(() -> Route.get("/v1/x").access(Access.open()).handler(OK))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("no origin");
        assertThatThrownBy(() -> Route.get("/v1/x").origin(RouteOrigin.STACK_V1).handler(OK))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("no access");
        assertThatThrownBy(() -> Route.get("v1/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLiteralRouteWinsOverAParameterAndAWrongMethodIs405() {
        Route literal = route(Route.post("/v1/things/register"), RouteOrigin.STACK_V1);
        Route param = route(Route.get("/v1/things/{id}"), RouteOrigin.STACK_V1);
        RouteTable t = new RouteTable(List.of(param, literal), false);
        assertThat(t.resolve("GET", "/v1/things/thg_1").params()).containsExactly("thg_1");
        assertThat(t.resolve("POST", "/v1/things/register").route()).isSameAs(literal);
        assertThatThrownBy(() -> t.resolve("GET", "/v1/things/register")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.headers()).containsEntry("Allow", "POST");
        });
        assertThatThrownBy(() -> t.resolve("GET", "/v1/things/bad id"))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void stackV1OnlyLeavesExtensionRoutesOutOfMatchingButListsThem() {
        Route v1 = route(Route.get("/v1/things"), RouteOrigin.STACK_V1);
        Route inferred = route(Route.get("/v1/things/{id}"), RouteOrigin.STACK_LIVE_INFERRED);
        Route ext = route(Route.post("/v1/things"), RouteOrigin.EXTENSION);
        RouteTable t = new RouteTable(List.of(v1, inferred, ext), true);
        assertThat(t.resolve("GET", "/v1/things").route()).isSameAs(v1);
        assertThat(t.resolve("GET", "/v1/things/t_1").route()).isSameAs(inferred);
        assertThatThrownBy(() -> t.resolve("POST", "/v1/things")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(405);
            assertThat(e.headers()).containsEntry("Allow", "GET");
        });
        Route extOnly = route(Route.post("/v1/others"), RouteOrigin.EXTENSION);
        RouteTable t2 = new RouteTable(List.of(v1, extOnly), true);
        assertThatThrownBy(() -> t2.resolve("POST", "/v1/others")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.code()).isEqualTo("NOT_FOUND");
            assertThat(e.messageText())
                    .isEqualTo(RouteTable.unknownRoute("POST", "/v1/others").messageText());
        });
        assertThat(t2.describe()).hasSize(2);
    }

    @Test
    void safePathMasksLeaseIdsTokensKeysAndLongSegments() {
        assertThat(SafePath.of("/v1/leases/lse_abc/renew"))
                .startsWith("/v1/leases/lse:")
                .endsWith("/renew");
        assertThat(SafePath.of("/v1/x/sk_live_op_123"))
                .doesNotContain("sk_live")
                .contains("redacted:");
        assertThat(SafePath.of("/v1/x/eyJhbGciOi.x.y")).doesNotContain("eyJ");
        assertThat(SafePath.of("/v1/x/" + "a".repeat(65))).doesNotContain("a".repeat(65));
        assertThat(SafePath.of("/v1/agents/agt_0123456789abcdefghijklmn"))
                .isEqualTo("/v1/agents/agt_0123456789abcdefghijklmn");
        assertThat(SafePath.of("/")).isEqualTo("/");
    }
}
