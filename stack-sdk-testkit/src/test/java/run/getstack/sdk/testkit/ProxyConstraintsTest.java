package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ProxyConstraintsTest extends FakeHttpTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    MockWebServer upstream;
    String agent;
    String conn;

    @BeforeEach
    void setUp(FakeControlPlane fake) throws Exception {
        upstream = new MockWebServer();
        upstream.start();
        agent = fake.seed().agent("constrained", "standard");
        conn = fake.seed().connection("github", "gho_token", "repo");
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    Http.Reply call(SeededPassport p, String method, String path, Object body) {
        Map<String, Object> req = new java.util.HashMap<>(Map.of(
                "service", "github", "method", method, "url", upstream.url(path).toString()));
        if (body != null) {
            req.put("body", body);
        }
        if (!method.equals("GET")) {
            req.put("authority_request_id", "arq_constraints_" + calls.incrementAndGet());
        }
        return http.passport(p.token()).post("/v1/proxy", req);
    }

    @Test
    void constraintsTravelInThePassportAndGateProxyCalls() throws Exception {
        fake.seed()
                .newGrant(agent, conn)
                .scopes("repo")
                .constraint("method", ConstraintOp.IN, List.of("GET", "POST"))
                .constraint("url.pathname", ConstraintOp.STARTS_WITH, "/repos/acme/")
                .constraint("body.title", ConstraintOp.MATCHES, "^\\[bot\\] ")
                .create();
        SeededPassport p = fake.seed().passport(agent, "s");
        String claims = new String(Base64.getUrlDecoder().decode(p.token().split("\\.")[1]));
        assertThat(claims).contains("\"constraints\":[{\"path\":\"method\",\"op\":\"in\"");

        upstream.enqueue(new MockResponse.Builder().code(201).build());
        Http.Reply ok = call(p, "POST", "/repos/acme/x/issues", Map.of("title", "[bot] fix"));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().path("status").asInt()).isEqualTo(201);

        Http.Reply wrongPath = call(p, "POST", "/repos/other/x/issues", Map.of("title", "[bot] fix"));
        Replies.assertError(wrongPath, 403, "FORBIDDEN");
        assertThat(wrongPath.reason()).isEqualTo("constraint_failed");
        assertThat(Replies.detail(wrongPath, "path")).isEqualTo("url.pathname");
        assertThat(call(p, "DELETE", "/repos/acme/x", null)
                        .json()
                        .path("error")
                        .path("details")
                        .path("path")
                        .asText())
                .isEqualTo("method");
        // a constraint whose path is missing from the request denies
        assertThat(call(p, "POST", "/repos/acme/x/issues", Map.of("body", "no title"))
                        .reason())
                .isEqualTo("constraint_failed");
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void delegatedPassportsInheritConstraints() {
        fake.seed()
                .newGrant(agent, conn)
                .scopes("repo")
                .constraint("method", ConstraintOp.EQ, "GET")
                .create();
        String child = fake.seed().agent("child-constrained", "standard");
        SeededPassport p = fake.seed().passport(agent, "s");
        String childToken = http.post(
                        "/v1/passports/delegate",
                        Map.of(
                                "parent_token",
                                p.token(),
                                "child_agent_id",
                                child,
                                "scopes",
                                List.of(Map.of("service_connection_id", conn, "scopes", List.of("repo")))))
                .json()
                .path("token")
                .asText();
        SeededPassport asChild = new SeededPassport("x", childToken, child, "s", java.time.Instant.EPOCH, "ms_x");
        assertThat(call(asChild, "POST", "/", Map.of()).reason()).isEqualTo("constraint_failed");
    }

    @Test
    void grantsEndpointAcceptsAndValidatesConstraints() {
        Http.Reply ok = http.post(
                "/v1/agents/" + agent + "/grants",
                Map.of(
                        "service_connection_id", conn,
                        "scopes", List.of("repo"),
                        "constraints", List.of(Map.of("path", "url.host", "op", "eq", "value", "api.github.com"))));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        assertThat(ok.json().path("constraints").get(0).path("op").asText()).isEqualTo("eq");
        Replies.assertError(
                http.post(
                        "/v1/agents/" + agent + "/grants",
                        Map.of(
                                "service_connection_id", conn,
                                "scopes", List.of("repo"),
                                "constraints", List.of(Map.of("path", "cookie", "op", "eq", "value", "x")))),
                400,
                "INVALID_REQUEST",
                "constraints.path");
        // an unknown op cannot be written with the typed builder; an unknown path is refused as over HTTP
        assertThatThrownBy(() -> fake.seed()
                        .newGrant(agent, conn)
                        .scopes("repo")
                        .constraint("cookie", ConstraintOp.EQ, "x")
                        .create())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("constraints.path: unknown constraint path: cookie");
    }
}
