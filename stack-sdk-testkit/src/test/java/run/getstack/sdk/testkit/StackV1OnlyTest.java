package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code stackV1Only()}: the project's extension routes answer as unknown routes; STACK's routes keep working. */
class StackV1OnlyTest {
    final TestClock clock = TestClock.create();
    MockWebServer upstream;
    FakeControlPlane fake;
    Http http;
    String agent;
    SeededPassport passport;

    @BeforeEach
    void setUp() throws Exception {
        upstream = new MockWebServer();
        upstream.start();
        fake = FakeControlPlane.builder().clock(clock).stackV1Only().start();
        http = new Http(fake);
        agent = fake.seed()
                .newAgent("v1-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        String conn = fake.seed().connection("openai", "sk-v1-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
        passport = fake.seed().passport(agent, "summarise", "openai");
    }

    @AfterEach
    void tearDown() {
        fake.close();
        upstream.close();
    }

    private static void assertAnsweredAsUnknownRoute(Http.Reply r, String method, String path) {
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isEqualTo(404);
        assertThat(r.code()).isEqualTo("NOT_FOUND");
        assertThat(r.reason()).isEqualTo("unknown_route");
        assertThat(r.json().path("error").path("message").asText()).contains(method + " ");
        assertThat(r.header("Allow")).isNull();
    }

    @Test
    void extensionRoutesAnswerExactlyAsAnUnknownRoute() {
        Http.Reply unknown = http.get("/v1/no-such-route");
        assertAnsweredAsUnknownRoute(unknown, "GET", "/v1/no-such-route");

        Http withPassport = http.passport(passport.token());
        assertAnsweredAsUnknownRoute(
                withPassport.post("/v1/leases", Map.of("provider", "openai")), "POST", "/v1/leases");
        assertAnsweredAsUnknownRoute(http.get("/v1/revocations?since=c_0"), "GET", "/v1/revocations");
        assertAnsweredAsUnknownRoute(
                http.get("/v1/revocations/" + passport.jti()), "GET", "/v1/revocations/" + passport.jti());
        assertAnsweredAsUnknownRoute(
                http.post("/v1/audit/events", Map.of("events", List.of())), "POST", "/v1/audit/events");
        // a known path whose every method is an extension: no 405, no Allow
        assertAnsweredAsUnknownRoute(http.get("/v1/leases"), "GET", "/v1/leases");
        assertAnsweredAsUnknownRoute(
                http.delete("/v1/leases/lse_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "DELETE", "/v1/leases/");
    }

    @Test
    void stackRoutesKeepWorkingInferredPathsIncluded() throws Exception {
        Http.Reply issued = http.post(
                "/v1/passports/issue",
                Map.of("agent_id", agent, "mission_ids", List.of(fake.seed().mission(agent, "v1 only"))));
        assertThat(issued.status()).as(issued.text()).isEqualTo(201);

        Http.Reply cred = http.passport(passport.token()).get("/v1/credentials/openai");
        assertThat(cred.status()).as(cred.text()).isEqualTo(200);
        assertThat(cred.json().path("credential").asText()).isEqualTo("sk-v1-secret");

        upstream.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        Http.Reply proxied = http.passport(passport.token())
                .post(
                        "/v1/proxy",
                        Map.of(
                                "service",
                                "openai",
                                "method",
                                "GET",
                                "url",
                                upstream.url("/v1/models").toString()));
        assertThat(proxied.status()).as(proxied.text()).isEqualTo(200);
        assertThat(proxied.json().path("status").asInt()).isEqualTo(200);

        Http.Reply refreshed = http.post("/v1/passports/refresh", Map.of("token", passport.token()));
        assertThat(refreshed.status())
                .as("STACK_LIVE_INFERRED route " + refreshed.text())
                .isEqualTo(201);

        Http.Reply verified = http.post("/v1/passports/verify", Map.of("token", passport.token()));
        assertThat(verified.json().path("valid").asBoolean()).isTrue();
    }

    @Test
    void theDefaultFakeServesTheSameExtensionRoutes() {
        try (FakeControlPlane full = FakeControlPlane.builder().clock(clock).start()) {
            assertThat(full.isStackV1Only()).isFalse();
            Http h = new Http(full);
            assertThat(h.get("/v1/revocations").status()).isEqualTo(200);
            Http.Reply leases = h.get("/v1/leases");
            assertThat(leases.status()).isEqualTo(405);
            assertThat(leases.header("Allow")).isEqualTo("POST");
        }
        assertThat(fake.isStackV1Only()).isTrue();
        assertThat(fake.toString()).contains("STACK v1 only");
    }

    @Test
    void routesNameTheirOriginSoATestCanListTheExtensions() {
        List<FakeRoute> routes = fake.routes();
        assertThat(routes)
                .contains(
                        new FakeRoute("POST", "/v1/passports/issue", RouteOrigin.STACK_V1),
                        new FakeRoute("POST", "/v1/passports/refresh", RouteOrigin.STACK_LIVE_INFERRED),
                        new FakeRoute("POST", "/v1/leases", RouteOrigin.EXTENSION));
        assertThat(routes.stream()
                        .filter(r -> r.origin() == RouteOrigin.EXTENSION)
                        .map(r -> r.method() + " " + r.path()))
                .containsExactlyInAnyOrder(
                        "DELETE /v1/services/connections/{id}",
                        "POST /v1/leases",
                        "POST /v1/leases/{id}/renew",
                        "DELETE /v1/leases/{id}",
                        "GET /v1/revocations",
                        "GET /v1/revocations/{jti}",
                        "POST /v1/audit/events",
                        "GET /v1/missions/{id}/report",
                        "POST /v1/oauth/token",
                        "POST /v1/identity/verifications/complete",
                        "GET /v1/skills",
                        "GET /v1/skills/{id}",
                        "POST /v1/skills/{id}/invoke",
                        "GET /v1/skills/invocations/{invocation_id}",
                        "GET /v1/dropoffs/{id}");
        assertThat(routes).doesNotHaveDuplicates();
    }

    @Test
    void readmeListsEveryExtensionRoute() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (FakeRoute r : fake.routes()) {
            if (r.origin() == RouteOrigin.EXTENSION) {
                assertThat(readme).as("README names " + r).contains("`" + r.method() + " " + r.path() + "`");
            }
        }
    }

    @Test
    void aReplyFromAStackRouteIsUnchangedByTheSwitch() {
        JsonNode jwks = http.get("/v1/.well-known/jwks.json").json();
        assertThat(jwks.path("keys").size()).isEqualTo(1);
    }
}
