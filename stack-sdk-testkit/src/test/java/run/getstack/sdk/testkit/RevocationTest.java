package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class RevocationTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("revokee", "standard");
    }

    @Test
    void statusReportsEveryState() {
        SeededPassport p = fake.seed().passport(agent, "s");
        JsonNode active = http.get("/v1/revocations/" + p.jti()).json();
        assertThat(active.path("revoked").asBoolean()).isFalse();
        assertThat(active.path("state").asText()).isEqualTo("active");
        assertThat(active.path("checked_at").asLong()).isEqualTo(CLOCK.millis());
        assertThat(active.has("reason")).isFalse();
        http.post("/v1/passports/" + p.jti() + "/revoke", Map.of("reason", "leaked"));
        JsonNode revoked = http.get("/v1/revocations/" + p.jti()).json();
        assertThat(revoked.path("state").asText()).isEqualTo("revoked");
        assertThat(revoked.path("reason").asText()).isEqualTo("leaked");
        assertThat(revoked.path("revoked_at").asLong()).isEqualTo(CLOCK.millis());
        SeededPassport e = fake.seed().passport(agent, "s");
        CLOCK.advance(Duration.ofHours(1));
        assertThat(http.get("/v1/revocations/" + e.jti()).json().path("state").asText())
                .isEqualTo("expired");
        Replies.assertError(http.get("/v1/revocations/pp_unknown"), 404, "NOT_FOUND");
    }

    @Test
    void feedWithoutCursorIsASyncPointThenDeliversEventsInOrder() {
        JsonNode sync = http.get("/v1/revocations").json();
        assertThat(sync.path("events")).isEmpty();
        String cursor = sync.path("cursor").asText();
        SeededPassport a = fake.seed().passport(agent, "s");
        SeededPassport b = fake.seed().passport(agent, "s");
        http.post("/v1/passports/" + a.jti() + "/revoke", Map.of("reason", "one"));
        http.post("/v1/passports/revoke-agent", Map.of("agent_id", agent, "reason", "two"));
        JsonNode page = http.get("/v1/revocations?since=" + cursor).json();
        JsonNode events = page.path("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("type").asText()).isEqualTo("single");
        assertThat(events.get(0).path("jti").asText()).isEqualTo(a.jti());
        assertThat(events.get(0).path("jtis").get(0).asText()).isEqualTo(a.jti());
        assertThat(events.get(0).path("reason").asText()).isEqualTo("one");
        assertThat(events.get(1).path("type").asText()).isEqualTo("bulk_agent");
        assertThat(events.get(1).path("agent_id").asText()).isEqualTo(agent);
        assertThat(events.get(1).path("jtis").get(0).asText()).isEqualTo(b.jti());
        assertThat(page.path("cursor").asText())
                .isEqualTo(events.get(1).path("cursor").asText());
        assertThat(http.get("/v1/revocations?since=" + page.path("cursor").asText())
                        .json()
                        .path("events"))
                .isEmpty();
    }

    @Test
    void longPollReturnsAsSoonAsARevocationArrives() throws Exception {
        String cursor = http.get("/v1/revocations").json().path("cursor").asText();
        SeededPassport p = fake.seed().passport(agent, "s");
        CountDownLatch sent = new CountDownLatch(1);
        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(
                () -> {
                    sent.countDown();
                    return http.get("/v1/revocations?wait=30&since=" + cursor).json();
                },
                Http.NEW_THREAD);
        sent.await();
        // wait until the server holds the poll
        while (fake.parkedRevocationPolls() < 1 && !poll.isDone()) {
            Thread.onSpinWait();
        }
        assertThat(poll).isNotDone();
        http.post("/v1/passports/" + p.jti() + "/revoke", Map.of());
        JsonNode result = poll.get(20, TimeUnit.SECONDS);
        assertThat(result.path("events").get(0).path("jti").asText()).isEqualTo(p.jti());
    }

    @Test
    void badCursorIs410AndBadWaitIs400() {
        Replies.assertError(http.get("/v1/revocations?since=garbage"), 410, "CURSOR_EXPIRED");
        Replies.assertError(http.get("/v1/revocations?since=c_999999"), 410, "CURSOR_EXPIRED");
        Replies.assertError(http.get("/v1/revocations?wait=31"), 400, "INVALID_REQUEST", "wait");
        Replies.assertError(http.get("/v1/revocations?wait=x"), 400, "INVALID_REQUEST", "wait");
    }

    @Test
    void anotherOperatorsFeedDoesNotSeeTheseRevocations() {
        SeededOperator other = fake.seed().operator("other");
        Http otherHttp = new Http(fake).key(other.apiKey());
        String cursor = otherHttp.get("/v1/revocations").json().path("cursor").asText();
        SeededPassport p = fake.seed().passport(agent, "s");
        http.post("/v1/passports/" + p.jti() + "/revoke", Map.of());
        assertThat(otherHttp.get("/v1/revocations?since=" + cursor).json().path("events"))
                .isEmpty();
        Replies.assertError(otherHttp.get("/v1/revocations/" + p.jti()), 404, "NOT_FOUND");
    }
}
