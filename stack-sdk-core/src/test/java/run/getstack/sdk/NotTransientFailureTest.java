package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 8: a {@code 407 Proxy Authentication Required} and an oversized response header section are not
 * network blips: the call fails at once, with a typed error that says what happened, and is not retried.
 */
class NotTransientFailureTest extends TransportTestSupport {

    private StackClient retrying() {
        return clientBuilder()
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .maxElapsed(Duration.ofSeconds(30))
                        .build())
                .build();
    }

    @Test
    void a407IsNotRetriedAndSaysAProxyWantsCredentials() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(407)
                    .setHeader("Proxy-Authenticate", "Basic realm=\"corp\"")
                    .build());
        }

        assertThatThrownBy(() -> get(retrying(), "/v1/x"))
                .isInstanceOf(StackNetworkException.class)
                .hasMessageContaining("407")
                .hasMessageContaining("proxy");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void anOversizedHeaderSectionIsNotRetriedAndSaysSo() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .setHeader("X-Huge", "a".repeat(300 * 1024))
                    .body("{}")
                    .build());
        }

        assertThatThrownBy(() -> get(retrying(), "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("header");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void aResponseCutShortInsideAHeaderLineIsStillRetried() throws Exception {
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 4, java.net.InetAddress.getLoopbackAddress())) {
            Thread serverThread = new Thread(() -> {
                String[] replies = {
                    "HTTP/1.1 200 OK\r\nContent-Type: applic", // the connection drops mid-line
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                            + "Connection: close\r\n\r\n{}"
                };
                for (String reply : replies) {
                    try (java.net.Socket s = raw.accept()) {
                        java.io.InputStream in = s.getInputStream();
                        byte[] buf = new byte[8192];
                        int n = in.read(buf); // the request head (small, one read on loopback)
                        if (n > 0) {
                            s.getOutputStream().write(reply.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                        }
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            serverThread.setDaemon(true);
            serverThread.start();
            StackClient client = clientBuilder()
                    .baseUrl("http://127.0.0.1:" + raw.getLocalPort())
                    .retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
                    .build();

            assertThat(get(client, "/v1/x").status()).isEqualTo(200);
            assertThat(sleeper.waits).hasSize(1);
            serverThread.join();
        }
    }
}
