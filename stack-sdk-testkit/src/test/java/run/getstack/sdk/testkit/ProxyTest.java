package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ProxyTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    MockWebServer upstream;
    SeededPassport passport;

    @BeforeEach
    void setUp(FakeControlPlane fake) throws Exception {
        upstream = new MockWebServer();
        upstream.start();
        String agent = fake.seed().agent("proxied");
        String conn = fake.seed().connection("openai", "sk-upstream-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
        passport = fake.seed().passport(agent, "s", "openai");
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    @Test
    void forwardsWithTheInjectedCredentialAndWrapsTheUpstreamResponse() throws Exception {
        upstream.enqueue(new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "application/json")
                .setHeader("Set-Cookie", "x=y")
                .body("{\"message\":\"Not Found\"}")
                .build());
        Http.Reply r = http.passport(passport.token())
                .post(
                        "/v1/proxy",
                        Map.of(
                                "service", "openai",
                                "method", "POST",
                                "url", upstream.url("/v1/chat").toString(),
                                "headers", Map.of("Authorization", "Bearer attacker", "X-Custom", "1"),
                                "query", Map.of("q", "a b"),
                                "body", Map.of("prompt", "hi"),
                                "authority_request_id", "arq_chat_1"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("status").asInt()).isEqualTo(404);
        assertThat(body.path("body").path("message").asText()).isEqualTo("Not Found");
        assertThat(body.path("body_encoding").asText()).isEqualTo("json");
        assertThat(body.path("headers").has("set-cookie")).isFalse();
        assertThat(r.text()).doesNotContain("sk-upstream-secret");
        RecordedRequest seen = upstream.takeRequest();
        assertThat(seen.getHeaders().get("Authorization")).isEqualTo("Bearer sk-upstream-secret");
        assertThat(seen.getHeaders().get("X-Custom")).isEqualTo("1");
        assertThat(seen.getUrl().queryParameter("q")).isEqualTo("a b");
        assertThat(seen.getBody().utf8()).isEqualTo("{\"prompt\":\"hi\"}");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("credential.proxy", "success");
    }

    @Test
    void textBodiesAreReturnedAsText() {
        upstream.enqueue(new MockResponse.Builder()
                .setHeader("Content-Type", "text/plain")
                .body("hello")
                .build());
        JsonNode body = http.passport(passport.token())
                .post(
                        "/v1/proxy",
                        Map.of(
                                "service",
                                "openai",
                                "method",
                                "GET",
                                "url",
                                upstream.url("/").toString()))
                .json();
        assertThat(body.path("body").asText()).isEqualTo("hello");
        assertThat(body.path("body_encoding").asText()).isEqualTo("text");
    }

    @Test
    void unreachableUpstreamIs502UpstreamError() {
        String url = upstream.url("/").toString();
        upstream.close();
        Http.Reply r = http.passport(passport.token())
                .post("/v1/proxy", Map.of("service", "openai", "method", "GET", "url", url));
        Replies.assertError(r, 502, "UPSTREAM_ERROR");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("credential.proxy", "failure");
    }

    @Test
    void validationAndScope() {
        Http withP = http.passport(passport.token());
        Http.Reply noPassport =
                http.post("/v1/proxy", Map.of("service", "openai", "method", "GET", "url", "http://x/"));
        Replies.assertError(noPassport, 400, "INVALID_REQUEST");
        assertThat(noPassport.reason()).isEqualTo("passport_required");
        Replies.assertError(
                withP.post("/v1/proxy", Map.of("service", "openai", "method", "TRACE", "url", "http://x/")),
                400,
                "INVALID_REQUEST",
                "method");
        Replies.assertError(
                withP.post("/v1/proxy", Map.of("service", "openai", "method", "GET", "url", "relative/path")),
                400,
                "INVALID_REQUEST",
                "url");
        Replies.assertError(
                withP.post("/v1/proxy", Map.of("method", "GET", "url", "http://x/")),
                400,
                "INVALID_REQUEST",
                "service");
        Http.Reply outside = withP.post(
                "/v1/proxy",
                Map.of(
                        "service",
                        "stripe",
                        "method",
                        "GET",
                        "url",
                        upstream.url("/").toString()));
        Replies.assertError(outside, 403, "FORBIDDEN");
        assertThat(outside.reason()).isEqualTo("credential_outside_scope");
        assertThat(upstream.getRequestCount()).isZero();
        assertThat(List.of(fake.securityEvents().get(0).signalType())).containsExactly("credential_outside_scope");
    }
}
