package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: the retry budget ({@link RetryPolicy#maxElapsed()}) bounds the attempt in progress, not only the
 * waits: each attempt's OkHttp call timeout is at most what remains of the budget.
 */
class RetryBudgetAttemptTest extends TransportTestSupport {

    private static RetryPolicy budget(Duration maxElapsed) {
        // random() is 0.5, so each backoff is half of (1 s + 1 ms): 500 ms, taken on the test clock
        return RetryPolicy.builder()
                .maxAttempts(3)
                .baseDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(1))
                .maxElapsed(maxElapsed)
                .build();
    }

    @Test
    void eachAttemptGetsAtMostTheRemainingBudgetAsItsCallTimeout() {
        List<Long> timeouts = new CopyOnWriteArrayList<>();
        OkHttpClient recording = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    timeouts.add(
                            TimeUnit.NANOSECONDS.toMillis(chain.call().timeout().timeoutNanos()));
                    return chain.proceed(chain.request());
                })
                .build();
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder()
                .okHttpClient(recording)
                .callTimeout(Duration.ofMinutes(10))
                .retryPolicy(budget(Duration.ofSeconds(30)))
                .build();

        get(client, "/v1/x");

        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(500));
        assertThat(timeouts).containsExactly(30_000L, 29_500L);
    }

    @Test
    void aCallTimeoutShorterThanTheBudgetIsKept() {
        List<Long> timeouts = new CopyOnWriteArrayList<>();
        OkHttpClient recording = new OkHttpClient.Builder()
                .addInterceptor(chain -> {
                    timeouts.add(
                            TimeUnit.NANOSECONDS.toMillis(chain.call().timeout().timeoutNanos()));
                    return chain.proceed(chain.request());
                })
                .build();
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder()
                .okHttpClient(recording)
                .callTimeout(Duration.ofSeconds(7))
                .retryPolicy(budget(Duration.ofSeconds(30)))
                .build();

        get(client, "/v1/x");

        assertThat(timeouts).containsExactly(7_000L);
    }

    @Test
    void aSlowDripRetryIsCutWhenTheBudgetRunsOut() {
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"a\":\"" + "x".repeat(200) + "\"}")
                .throttleBody(1, 100, TimeUnit.MILLISECONDS) // about 20 s in all, never silent for the read timeout
                .build());
        StackClient client =
                clientBuilder().retryPolicy(budget(Duration.ofSeconds(1))).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(StackTimeoutException.Kind.CALL))
                .hasMessageContaining("retry budget (maxElapsed)");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void theDocumentedDefaultsAgree() {
        assertThat(StackClient.DEFAULT_CALL_TIMEOUT).isLessThanOrEqualTo(RetryPolicy.DEFAULT_MAX_ELAPSED);
    }
}
