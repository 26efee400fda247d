package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;

class TimeoutTest extends TransportTestSupport {

    @Test
    void aServerThatNeverAcceptsGivesAConnectTimeout() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, loopback)) {
            // fill the accept backlog; once full the kernel drops new SYNs and connects hang
            boolean hung = false;
            for (int i = 0; i < 16 && !hung; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(new InetSocketAddress(loopback, full.getLocalPort()), 200);
                } catch (SocketTimeoutException e) {
                    hung = true;
                }
            }
            assertThat(hung).as("backlog filled").isTrue();
            StackClient client = clientBuilder()
                    .baseUrl("http://127.0.0.1:" + full.getLocalPort())
                    .connectTimeout(Duration.ofMillis(200))
                    .retryPolicy(RetryPolicy.none())
                    .build();

            assertThatThrownBy(() -> get(client, "/v1/x"))
                    .isInstanceOfSatisfying(
                            StackTimeoutException.class,
                            e -> assertThat(e.timeout()).isEqualTo(StackTimeoutException.Kind.CONNECT))
                    .hasMessageContaining("connectTimeout");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
        }
    }

    @Test
    void aServerThatNeverAnswersGivesAReadTimeout() {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build());
        StackClient client = clientBuilder()
                .readTimeout(Duration.ofMillis(200))
                .retryPolicy(RetryPolicy.none())
                .build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(StackTimeoutException.Kind.READ))
                .hasMessageContaining("readTimeout");
    }

    @Test
    void aTricklingBodyGivesACallTimeout() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"a\":\"" + "x".repeat(200) + "\"}")
                .throttleBody(1, 20, TimeUnit.MILLISECONDS)
                .build());
        StackClient client = clientBuilder()
                .readTimeout(Duration.ofSeconds(5))
                .callTimeout(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.none())
                .build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackTimeoutException.class,
                        e -> assertThat(e.timeout()).isEqualTo(StackTimeoutException.Kind.CALL))
                .hasMessageContaining("callTimeout");
    }
}
