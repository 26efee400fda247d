package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class FaultsTest extends FakeHttpTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    String agent;
    String mission;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("faulty", "standard");
        mission = fake.seed().mission(agent, "fault tests");
    }

    Http.Reply issue() {
        return http.post("/v1/passports/issue", Map.of("agent_id", agent, "mission_ids", List.of(mission)));
    }

    String issueJson() {
        return "{\"agent_id\":\"" + agent + "\",\"mission_ids\":[\"" + mission + "\"]}";
    }

    @Test
    void failTimesThenSucceedWithRetryAfter() {
        FaultRule rule = fake.faults()
                .on("POST", "/v1/passports/issue")
                .failTimes(2, 503)
                .withRetryAfter(Duration.ofSeconds(1));
        Http.Reply first = issue();
        Replies.assertError(first, 503, "SERVICE_UNAVAILABLE");
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(first.json().path("error").path("request_id").asText()).isEqualTo(first.header("X-Request-Id"));
        assertThat(issue().status()).isEqualTo(503);
        assertThat(issue().status()).isEqualTo(201);
        assertThat(rule.appliedCount()).isEqualTo(2);
        assertThat(rule.isActive()).isFalse();
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("passport.issue", 1);
        assertThat(fake.journal().entries("POST", "/v1/passports/issue"))
                .extracting(JournalEntry::fault)
                .containsExactly(FaultRule.Kind.STATUS, FaultRule.Kind.STATUS, null);
    }

    @Test
    void rateLimitFaultAlwaysCarriesRetryAfterAndCustomCodesAreKept() {
        fake.faults().on("GET", "/v1/agents").respondWith(429).times(1);
        Http.Reply r = http.get("/v1/agents");
        assertThat(r.code()).isEqualTo("RATE_LIMITED");
        assertThat(r.header("Retry-After")).isEqualTo("1");
        fake.faults()
                .on("GET", "/v1/agents/{id}")
                .respondWith(401, "PASSPORT_REVOKED")
                .times(1);
        assertThat(http.get("/v1/agents/agt_x").code()).isEqualTo("PASSPORT_REVOKED");
        assertThat(http.get("/v1/agents").status()).isEqualTo(200);
    }

    @Test
    void wildcardPatternsMatchOneSegmentOrTheRest() {
        fake.faults().on("*", "/v1/passports/**").respondWith(500);
        assertThat(issue().status()).isEqualTo(500);
        assertThat(issue().code()).isEqualTo("INTERNAL_ERROR");
        assertThat(http.get("/v1/agents").status()).isEqualTo(200);
        fake.faults().clear();
        assertThat(issue().status()).isEqualTo(201);
    }

    @Test
    void latencyDelaysTheResponseButStillAnswers() {
        fake.faults().on("GET", "/v1/agents").delay(Duration.ofMillis(50)).times(1);
        assertThat(http.get("/v1/agents").status()).isEqualTo(200);
        assertThat(fake.journal().last().fault()).isEqualTo(FaultRule.Kind.LATENCY);
    }

    private static Response raw(FakeControlPlane fake, String method, String path, String body) throws IOException {
        Request.Builder b = new Request.Builder()
                .url(fake.baseUrl() + path)
                .header("Authorization", "Bearer " + fake.operatorApiKey());
        b.method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
        return Http.CLIENT.newCall(b.build()).execute();
    }

    @Test
    void disconnectBeforeResponseFailsTheCallAndDoesNotProcessIt() {
        fake.faults()
                .on("POST", "/v1/passports/issue")
                .disconnectBeforeResponse()
                .times(1);
        assertThatThrownBy(() ->
                        raw(fake, "POST", "/v1/passports/issue", issueJson()).close())
                .isInstanceOf(IOException.class);
        StackAssertions.assertThat(fake.auditLog()).hasNoEntry("passport.issue");
        assertThat(issue().status()).isEqualTo(201);
    }

    @Test
    void disconnectDuringBodyLosesTheResponseAfterTheSideEffect() {
        fake.faults()
                .on("POST", "/v1/passports/issue")
                .disconnectDuringResponseBody()
                .times(1);
        assertThatThrownBy(() -> {
                    try (Response r = raw(fake, "POST", "/v1/passports/issue", issueJson())) {
                        r.body().string();
                    }
                })
                .isInstanceOf(IOException.class);
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("passport.issue", 1);
    }

    @Test
    void truncatedBodyIsValidHttpButInvalidJson() throws Exception {
        fake.faults().on("GET", "/v1/agents").truncateBody().times(1);
        try (Response r = raw(fake, "GET", "/v1/agents", null)) {
            assertThat(r.code()).isEqualTo(200);
            String text = r.body().string();
            assertThat(text).startsWith("{\"agents\"");
            assertThatThrownBy(() -> Http.MAPPER.readTree(text)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void malformedBodyIsNotJson() throws Exception {
        fake.faults().on("GET", "/v1/agents").malformedBody().times(1);
        try (Response r = raw(fake, "GET", "/v1/agents", null)) {
            assertThat(r.body().string()).startsWith("<html>");
        }
    }

    @Test
    void ruleSettersValidate() {
        FaultRule r = fake.faults().on("GET", "/v1/agents");
        assertThatThrownBy(() -> r.respondWith(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.times(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.delay(Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fake.faults().on("GET", "v1/agents")).isInstanceOf(IllegalArgumentException.class);
        assertThat(r.toString()).contains("GET /v1/agents");
    }
}
