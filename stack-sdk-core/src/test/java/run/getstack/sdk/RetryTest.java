package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Json;

class RetryTest extends TransportTestSupport {

    @Test
    void retriesAGetUpToMaxAttemptsWithFullJitterDelays() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        }
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/agents"))
                .isInstanceOf(StackServerException.class)
                .satisfies(e -> assertThat(((StackException) e).httpStatus()).isEqualTo(503));

        assertThat(server.getRequestCount()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
        // random 0.5: floor(0.5 * (upper + 1)) with upper = 200 ms, then 400 ms
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void backoffUpperBoundDoublesUpToTheCap() {
        for (int i = 0; i < 6; i++) {
            server.enqueue(error(502, "INTERNAL_ERROR", "bad gateway"));
        }
        StackClient client = clientBuilder()
                .random(() -> 0.999_999_999)
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(6)
                        .baseDelay(Duration.ofMillis(200))
                        .maxDelay(Duration.ofMillis(2000))
                        .build())
                .build();

        assertThatThrownBy(() -> get(client, "/v1/agents")).isInstanceOf(StackServerException.class);

        assertThat(sleeper.waits)
                .containsExactly(
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(800),
                        Duration.ofMillis(1600),
                        Duration.ofMillis(2000));
    }

    @Test
    void zeroRandomGivesZeroDelay() {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().random(() -> 0.0).build();

        assertThat(get(client, "/v1/agents").status()).isEqualTo(200);
        assertThat(sleeper.waits).containsExactly(Duration.ZERO);
    }

    @Test
    void succeedsAfterATransientFailureAndReusesTheRequestId() throws Exception {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(json(200, "{\"ok\":true}"));
        StackClient client = clientBuilder().build();

        assertThat(get(client, "/v1/agents").requireObject().get("ok").asBoolean())
                .isTrue();

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(first.getHeaders().get("X-Request-Id")).matches("req_[a-z0-9]{24}");
        assertThat(second.getHeaders().get("X-Request-Id"))
                .isEqualTo(first.getHeaders().get("X-Request-Id"));
    }

    @Test
    void retryAfterInSecondsIsHonouredWhenLongerThanTheBackoff() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "3")
                .body("{\"error\":{\"message\":\"slow down\",\"code\":\"RATE_LIMITED\"}}")
                .build());
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        get(client, "/v1/agents");

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void backoffWinsWhenLongerThanRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "0")
                .body("{\"error\":{\"message\":\"down\",\"code\":\"SERVICE_UNAVAILABLE\"}}")
                .build());
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        get(client, "/v1/agents");

        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void retryAfterAsHttpDateIsHonoured() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(7).atZone(ZoneOffset.UTC));
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", date)
                .body("{\"error\":{\"message\":\"down\",\"code\":\"SERVICE_UNAVAILABLE\"}}")
                .build());
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        get(client, "/v1/agents");

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterBeyondTheBudgetFailsAtOnceWithTheRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "120")
                .body("{\"error\":{\"message\":\"slow down\",\"code\":\"RATE_LIMITED\"}}")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/agents"))
                .isInstanceOfSatisfying(StackRateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
                    assertThat(e.errorCode()).isEqualTo("RATE_LIMITED");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void theTotalBudgetStopsRetriesEvenWithAttemptsLeft() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(503)
                    .setHeader("Content-Type", "application/json")
                    .setHeader("Retry-After", "4")
                    .body("{\"error\":{\"message\":\"down\",\"code\":\"SERVICE_UNAVAILABLE\"}}")
                    .build());
        }
        StackClient client = clientBuilder()
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(5)
                        .maxElapsed(Duration.ofSeconds(10))
                        .build())
                .build();

        assertThatThrownBy(() -> get(client, "/v1/agents"))
                .isInstanceOfSatisfying(
                        StackServerException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(4)));
        // 4 s + 4 s fit in 10 s; a third wait of 4 s would not
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNeverRetried() {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.transport()
                        .execute(ApiRequest.post("/v1/agents/register", Json.object())
                                .build()))
                .isInstanceOf(StackServerException.class);

        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void okHttpDoesNotSilentlyResendAPostOn503WithRetryAfterZero() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "0")
                .body("{\"error\":{\"message\":\"down\",\"code\":\"SERVICE_UNAVAILABLE\"}}")
                .build());
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.transport()
                        .execute(ApiRequest.post("/v1/agents/register", Json.object())
                                .build()))
                .isInstanceOfSatisfying(
                        StackServerException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ZERO));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNotRetriedAfterAConnectionReset() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, true, true))
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.transport()
                        .execute(ApiRequest.post("/v1/agents/register", Json.object())
                                .build()))
                .isInstanceOf(StackNetworkException.class);
        assertThat(server.getRequestCount()).isLessThanOrEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aPostWithIdempotencyKeyIsRetriedWithTheSameKeyRequestIdAndBody() throws Exception {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(error(429, "RATE_LIMITED", "slow"));
        server.enqueue(json(201, "{\"jti\":\"pp_1\"}"));
        StackClient client = clientBuilder().build();

        var body = Json.object().put("agent_id", "agt_1");
        client.transport()
                .execute(ApiRequest.post("/v1/passports/issue", body)
                        .idempotent()
                        .build());

        assertThat(server.getRequestCount()).isEqualTo(3);
        List<RecordedRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(server.takeRequest());
        }
        String key = requests.get(0).getHeaders().get("Idempotency-Key");
        String requestId = requests.get(0).getHeaders().get("X-Request-Id");
        assertThat(key).isNotBlank();
        for (RecordedRequest r : requests) {
            assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo(key);
            assertThat(r.getHeaders().get("X-Request-Id")).isEqualTo(requestId);
            assertThat(r.getBody().utf8()).isEqualTo("{\"agent_id\":\"agt_1\"}");
        }
    }

    @Test
    void aPostWithIdempotencyKeyIsNotRetriedOn500() {
        server.enqueue(error(500, "INTERNAL_ERROR", "boom"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.transport()
                        .execute(ApiRequest.post("/v1/passports/issue", Json.object())
                                .idempotent()
                                .build()))
                .isInstanceOf(StackServerException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aGetIsRetriedOn500() {
        server.enqueue(error(500, "INTERNAL_ERROR", "boom"));
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        assertThat(get(client, "/v1/agents").status()).isEqualTo(200);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a502FromTheProxiedUpstreamIsNotRetried() {
        server.enqueue(error(502, "UPSTREAM_ERROR", "upstream unreachable"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/agents"))
                .isInstanceOfSatisfying(
                        StackServerException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("UPSTREAM_ERROR"));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        server.enqueue(error(404, "NOT_FOUND", "no such agent"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/agents/agt_x")).isInstanceOf(StackNotFoundException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void idempotencyInProgressConflictIsRetriedAfterRetryAfter() {
        server.enqueue(new MockResponse.Builder()
                .code(409)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "1")
                .body("{\"error\":{\"message\":\"in progress\",\"code\":\"CONFLICT\","
                        + "\"details\":{\"reason\":\"idempotency_in_progress\"}}}")
                .build());
        server.enqueue(json(201, "{}"));
        StackClient client = clientBuilder().build();

        client.transport()
                .execute(ApiRequest.post("/v1/passports/issue", Json.object())
                        .idempotent()
                        .build());
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void connectionResetOnAGetIsRetried() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, true, true))
                .build());
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        assertThat(get(client, "/v1/agents").status()).isEqualTo(200);
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void anInterruptDuringTheRetryWaitStopsAtOnceAndRestoresTheFlag() {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder()
                .sleeper(d -> {
                    throw new InterruptedException("test interrupt");
                })
                .build();
        try {
            assertThatThrownBy(() -> get(client, "/v1/agents"))
                    .isInstanceOf(StackInterruptedException.class)
                    .hasMessageContaining("interrupted while waiting to retry");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void anInterruptDuringARealWaitStopsTheDefaultSleeper() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Content-Type", "application/json")
                .setHeader("Retry-After", "20")
                .body("{\"error\":{\"message\":\"down\",\"code\":\"SERVICE_UNAVAILABLE\"}}")
                .build());
        StackClient client = StackClient.builder()
                .baseUrl(server.url("/").toString())
                .apiKey(API_KEY)
                .build();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flag = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                get(client, "/v1/agents");
            } catch (Throwable e) {
                thrown.set(e);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        t.start();
        server.takeRequest();
        // the thread is now waiting 20 s (or about to); an interrupt must end it at once
        while (t.isAlive()) {
            t.interrupt();
            t.join(50);
        }
        assertThat(thrown.get()).isInstanceOf(StackInterruptedException.class);
        assertThat(flag.get()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(1);
        client.close();
    }
}
