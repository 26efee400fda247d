package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ProtocolAndAuthTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void wrongApiKeyGets401InvalidApiKeyInStacksErrorShape(FakeControlPlane fake) {
        Http.Reply r = new Http(fake).key("sk_live_op_wrong_key_000000000000").get("/v1/agents");
        Replies.assertEnvelope(r, 401, "INVALID_API_KEY");
        assertThat(r.text()).doesNotContain("sk_live_op_wrong");
    }

    @Test
    void missingOrMalformedAuthorizationGets401Unauthorized(FakeControlPlane fake) {
        Replies.assertEnvelope(new Http(fake.baseUrl(), null).get("/v1/agents"), 401, "UNAUTHORIZED");
        Replies.assertEnvelope(new Http(fake).key("not-a-key").get("/v1/agents"), 401, "UNAUTHORIZED");
    }

    @Test
    void theSeededOperatorKeyIsAccepted(FakeControlPlane fake) {
        Http.Reply r = new Http(fake).get("/v1/agents");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("agents").isArray()).isTrue();
    }

    @Test
    void aSecondOperatorSeesNoneOfTheFirstOperatorsObjects(FakeControlPlane fake) {
        String agent = fake.seed().agent("bot-one");
        SeededOperator other = fake.seed().operator("other");
        Http otherHttp = new Http(fake).key(other.apiKey());
        Replies.assertEnvelope(otherHttp.get("/v1/agents/" + agent), 404, "NOT_FOUND");
        assertThat(otherHttp.get("/v1/agents").json().path("agents").size()).isZero();
        assertThat(other.toString()).doesNotContain(other.apiKey());
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405WithAllow(FakeControlPlane fake) {
        Replies.assertEnvelope(new Http(fake).get("/v1/nothing-here"), 404, "NOT_FOUND");
        Http.Reply r = new Http(fake).delete("/v1/passports/issue");
        Replies.assertEnvelope(r, 405, "METHOD_NOT_ALLOWED");
        assertThat(r.header("Allow")).isEqualTo("POST");
    }

    @Test
    void bodyOverOneMebibyteIs413(FakeControlPlane fake) {
        String big = "{\"name\":\"" + "a".repeat(1_048_576) + "\"}";
        Replies.assertEnvelope(new Http(fake).send("POST", "/v1/agents/register", big), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void nonJsonBodyIs400InvalidRequest(FakeControlPlane fake) {
        Replies.assertEnvelope(new Http(fake).send("POST", "/v1/agents/register", "{not json"), 400, "INVALID_REQUEST");
        Replies.assertEnvelope(new Http(fake).send("POST", "/v1/agents/register", "[1,2]"), 400, "INVALID_REQUEST");
    }

    @Test
    void clientRequestIdIsEchoedAndAnInvalidOneReplaced(FakeControlPlane fake) {
        Http.Reply echoed =
                new Http(fake).header("X-Request-Id", "req_abc.DEF-1").get("/v1/agents");
        assertThat(echoed.header("X-Request-Id")).isEqualTo("req_abc.DEF-1");
        Http.Reply replaced = new Http(fake).header("X-Request-Id", "bad id!").get("/v1/agents");
        assertThat(replaced.header("X-Request-Id")).matches("req_[a-z0-9]{24}");
    }

    @Test
    void everyResponseCarriesRequestIdAndDateIncludingErrorsAnd204(FakeControlPlane fake) {
        Http http = new Http(fake);
        for (Http.Reply r : new Http.Reply[] {
            http.get("/v1/agents"),
            http.get("/v1/nope"),
            http.delete("/v1/leases/lse_unknown"),
            http.get("/v1/.well-known/jwks.json")
        }) {
            assertThat(r.header("X-Request-Id")).as(r.toString()).isNotBlank();
            assertThat(r.header("Date")).as(r.toString()).isNotBlank();
        }
    }

    @Test
    void idempotencyKeyReplaysTheFirstResponseWithoutSideEffects(FakeControlPlane fake) {
        Http http = new Http(fake).header("Idempotency-Key", "key-1");
        Http.Reply first = http.post("/v1/agents/register", Map.of("name", "idem-bot"));
        Http.Reply second = http.post("/v1/agents/register", Map.of("name", "idem-bot"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(second.json().path("id").asText())
                .isEqualTo(first.json().path("id").asText());
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("agent.register", 1);
    }

    @Test
    void idempotencyKeyReusedWithADifferentBodyIs409(FakeControlPlane fake) {
        Http http = new Http(fake).header("Idempotency-Key", "key-2");
        http.post("/v1/agents/register", Map.of("name", "idem-a"));
        Http.Reply r = http.post("/v1/agents/register", Map.of("name", "idem-b"));
        Replies.assertEnvelope(r, 409, "CONFLICT");
        assertThat(r.reason()).isEqualTo("idempotency_key_reuse");
    }

    @Test
    void invalidIdempotencyKeyIs400(FakeControlPlane fake) {
        Http.Reply r = new Http(fake)
                .header("Idempotency-Key", "x".repeat(256))
                .post("/v1/agents/register", Map.of("name", "k"));
        Replies.assertEnvelope(r, 400, "INVALID_REQUEST");
    }
}
