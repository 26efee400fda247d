package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

class IdempotencyAndShutdownTest {
    @Test
    void aRetryWhileTheFirstCallIsInFlightGets409InProgressThenTheReplay() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FakeControlPlane fake =
                        FakeControlPlane.builder().clock(TestClock.create()).start();
                MockWebServer upstream = new MockWebServer()) {
            upstream.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                    arrived.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return new MockResponse.Builder().body("done").build();
                }
            });
            upstream.start();
            String agent = fake.seed().agent("idem-proxy");
            fake.seed().grant(agent, fake.seed().connection("openai", "sk-i", "chat"), "chat");
            SeededPassport p = fake.seed().passport(agent, "s", "openai");
            Http http = new Http(fake).passport(p.token());
            Map<String, Object> body = Map.of(
                    "service", "openai",
                    "method", "GET",
                    "url", upstream.url("/").toString(),
                    "authority_request_id", "auth-req-1");
            CompletableFuture<Http.Reply> first =
                    CompletableFuture.supplyAsync(() -> http.post("/v1/proxy", body), Http.NEW_THREAD);
            assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
            Http.Reply concurrent = http.post("/v1/proxy", body);
            assertThat(concurrent.status()).isEqualTo(409);
            assertThat(concurrent.reason()).isEqualTo("idempotency_in_progress");
            assertThat(concurrent.header("Retry-After")).isEqualTo("1");
            release.countDown();
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
            Http.Reply replay = http.post("/v1/proxy", body);
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.header("Idempotency-Replayed")).isEqualTo("true");
            assertThat(replay.json().path("body").asText()).isEqualTo("done");
            assertThat(upstream.getRequestCount()).isEqualTo(1);
            // passport checks run before a replay: once revoked, the stored answer is not served
            new Http(fake).post("/v1/passports/" + p.jti() + "/revoke", Map.of());
            assertThat(http.post("/v1/proxy", body).code()).isEqualTo("PASSPORT_REVOKED");
        }
    }

    @Test
    void closeEndsAParkedLongPoll() throws Exception {
        FakeControlPlane fake =
                FakeControlPlane.builder().clock(TestClock.create()).start();
        Http http = new Http(fake);
        String cursor = http.get("/v1/revocations").json().path("cursor").asText();
        CompletableFuture<Object> poll = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return http.get("/v1/revocations?wait=30&since=" + cursor)
                                .status();
                    } catch (RuntimeException e) {
                        return e;
                    }
                },
                Http.NEW_THREAD);
        while (fake.parkedRevocationPolls() < 1) {
            Thread.onSpinWait();
        }
        CompletableFuture.runAsync(fake::close, Http.NEW_THREAD).get(20, TimeUnit.SECONDS);
        assertThat(fake.isClosed()).isTrue();
        assertThat(poll.get(20, TimeUnit.SECONDS)).isNotNull();
        assertThat(fake.parkedRevocationPolls()).isZero();
    }
}
