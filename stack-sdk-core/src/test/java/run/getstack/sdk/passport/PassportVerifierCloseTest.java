package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link PassportVerifier#close()} releases the JWKS connection it holds. A raw loopback server, because neither the
 * fake nor MockWebServer tells when the client closes a kept-alive connection.
 */
class PassportVerifierCloseTest {
    private static final TestKey KEY = TestKey.seeded(11);

    @Test
    void closeClosesTheKeptAliveJwksConnectionOfAVerifierThatOwnsItsHttpClient() throws Exception {
        byte[] jwks = TestKey.jwks(KEY).getBytes(StandardCharsets.UTF_8);
        CountDownLatch served = new CountDownLatch(1);
        CountDownLatch clientClosed = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serveOnce(server, jwks, served, clientClosed), "jwks-once");
            serving.setDaemon(true);
            serving.start();

            PassportVerifier verifier = PassportVerifier.builder()
                    .jwksUrl("http://127.0.0.1:" + server.getLocalPort() + "/jwks")
                    .build();
            assertThat(verifier.verify(KEY.sign(TestKey.claims(Instant.now()))).jti())
                    .isEqualTo("pp_8f3a");
            assertThat(served.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(clientClosed.getCount())
                    .as("kept alive while the verifier is open")
                    .isEqualTo(1);

            verifier.close();

            assertThat(clientClosed.await(10, TimeUnit.SECONDS))
                    .as("the verifier closed its pooled connection")
                    .isTrue();
        }
    }

    /** Answers one request with keep-alive, then waits for the client to close the connection. */
    private static void serveOnce(ServerSocket server, byte[] body, CountDownLatch served, CountDownLatch closed) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            int state = 0; // counts the bytes of the \r\n\r\n that ends the request head
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1
                        : 0;
            }
            OutputStream out = s.getOutputStream();
            out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            served.countDown();
            if (in.read() < 0) {
                closed.countDown();
            }
        } catch (IOException e) {
            // a reset also means the client let go of the connection
            closed.countDown();
        }
    }
}
