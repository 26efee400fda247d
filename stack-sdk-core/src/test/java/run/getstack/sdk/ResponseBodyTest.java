package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class ResponseBodyTest extends TransportTestSupport {

    @Test
    void aBodyDeclaredLargerThanTheCapIsRefusedBeforeReading() {
        server.enqueue(json(200, "{\"a\":\"" + "x".repeat(2000) + "\"}"));
        StackClient client = clientBuilder().maxResponseBytes(1024).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("exceeds maxResponseBytes (1024)");
    }

    @Test
    void aChunkedBodyGrowingPastTheCapIsCutOff() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .chunkedBody("{\"a\":\"" + "x".repeat(100_000) + "\"}", 1000)
                .build());
        StackClient client = clientBuilder().maxResponseBytes(4096).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("exceeds maxResponseBytes (4096)");
    }

    @Test
    void aBodyExactlyAtTheCapIsRead() {
        String body = "{\"a\":\"" + "x".repeat(1024 - 8) + "\"}";
        assertThat(body).hasSize(1024);
        server.enqueue(json(200, body));
        StackClient client = clientBuilder().maxResponseBytes(1024).build();

        assertThat(get(client, "/v1/x").status()).isEqualTo(200);
    }

    @Test
    void aTruncatedBodyIsAMalformedResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(new Buffer().writeUtf8("{\"a\":\"" + "x".repeat(50_000) + "\"}"))
                .onResponseBody(new SocketEffect.CloseSocket(true, true, true))
                .build());
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void aConnectionResetIsANetworkException() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, true, true))
                .build());
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isExactlyInstanceOf(StackNetworkException.class)
                .satisfies(e -> assertThat(((StackException) e).httpStatus()).isZero())
                .hasMessageContaining("network failure for GET /v1/x");
    }
}
