package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiRequest;

/**
 * A request's own timeout (for the revocation long poll: wait + 5 s) replaces the client's call timeout, read
 * timeout and retry budget for that request only, through the one transport.
 */
class RequestTimeoutOverrideTest extends TransportTestSupport {

    private static MockResponse slowOk() {
        return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"ok\":true}")
                .headersDelay(600, TimeUnit.MILLISECONDS)
                .build();
    }

    @Test
    void aLongerOwnTimeoutOutlivesTheClientsCallAndReadTimeouts() {
        server.enqueue(slowOk());
        server.enqueue(slowOk());
        StackClient client = clientBuilder()
                .readTimeout(Duration.ofMillis(200))
                .callTimeout(Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.none())
                .build();

        // control: the client's limits cut the slow answer
        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackTimeoutException.class);
        // the same answer with the request's own, longer limit arrives
        var response = client.transport()
                .execute(ApiRequest.get("/v1/x").timeout(Duration.ofSeconds(30)).build());
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void aShorterOwnTimeoutCutsTheCallAndSaysSo() {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        StackClient client = clientBuilder()
                .readTimeout(Duration.ofSeconds(30))
                .callTimeout(Duration.ofSeconds(30))
                .retryPolicy(RetryPolicy.none())
                .build();

        assertThatThrownBy(() -> client.transport()
                        .execute(ApiRequest.get("/v1/x")
                                .timeout(Duration.ofMillis(300))
                                .build()))
                .isInstanceOfSatisfying(
                        StackTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(StackTimeoutException.Kind.CALL))
                .hasMessageContaining("own timeout");
    }

    @Test
    void anInvalidOwnTimeoutIsRefusedNamingTheParameter() {
        ApiRequest.Builder b = ApiRequest.get("/v1/x");
        assertThatThrownBy(() -> b.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> b.timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> b.timeout(ApiRequest.MAX_TIMEOUT.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
        assertThat(b.timeout(Duration.ofSeconds(30)).build().timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ApiRequest.get("/v1/x").build().timeout()).isNull();
    }
}
