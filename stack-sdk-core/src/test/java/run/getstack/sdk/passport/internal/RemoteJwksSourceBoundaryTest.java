package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * {@link RemoteJwksSource} at its boundaries: the body cap (declared and streamed), {@code max-age} against the
 * default, and what {@code toString} shows. MockWebServer, because the fake cannot serve a JWKS of an exact size.
 */
class RemoteJwksSourceBoundaryTest {
    private final TestClock clock = TestClock.at(Instant.parse("2026-11-30T10:00:00Z"));
    private MockWebServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RemoteJwksSource source(String path) {
        return new RemoteJwksSource(
                server.url(path),
                null,
                clock,
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                Duration.ofMinutes(5),
                Duration.ofSeconds(10),
                null);
    }

    private static String jwks() {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(7).nextBytes(sk);
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        return "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + Base64Url.encode(pk)
                + "\",\"kid\":\"k1\"}]}";
    }

    /** A valid JWKS padded with JSON whitespace to exactly {@code size} bytes. */
    private static String jwksOfSize(int size) {
        String json = jwks();
        return json + " ".repeat(size - json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aBodyOfExactlyTheCapIsReadWhetherItsLengthIsDeclaredOrStreamed() {
        String body = jwksOfSize(RemoteJwksSource.MAX_BODY_BYTES);
        server.enqueue(new MockResponse.Builder().body(body).build()); // Content-Length: 65536
        try (RemoteJwksSource declared = source("/declared")) {
            assertThat(declared.current().find("k1")).isNotNull();
        }
        server.enqueue(new MockResponse.Builder()
                .chunkedBody(new Buffer().writeUtf8(body), 1000)
                .build());
        try (RemoteJwksSource streamed = source("/streamed")) {
            assertThat(streamed.current().find("k1")).isNotNull();
        }
    }

    @Test
    void oneByteOverTheCapIsRefusedWhetherDeclaredOrStreamed() {
        String body = jwksOfSize(RemoteJwksSource.MAX_BODY_BYTES + 1);
        server.enqueue(new MockResponse.Builder().body(body).build());
        server.enqueue(new MockResponse.Builder()
                .chunkedBody(new Buffer().writeUtf8(body), 1000)
                .build());
        for (String path : new String[] {"/declared", "/streamed"}) {
            try (RemoteJwksSource s = source(path)) {
                PassportVerificationException e = catchThrowableOfType(PassportVerificationException.class, s::current);
                assertThat(e.reason()).as(path).isEqualTo(Reason.KEYS_UNAVAILABLE);
                assertThat(e.getMessage()).as(path).contains("larger than " + RemoteJwksSource.MAX_BODY_BYTES);
            }
        }
    }

    @Test
    void aMaxAgeLongerThanTheDefaultIsHonouredSoNothingIsFetchedBeforeFourFifthsOfIt() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Cache-Control", "public, max-age=1000")
                .body(jwks())
                .build());
        server.enqueue(new MockResponse.Builder().body(jwks()).build());
        try (RemoteJwksSource s = source("/jwks")) {
            s.current();
            clock.advance(Duration.ofSeconds(799)); // past 4/5 of the 5-minute default, before 4/5 of 1000 s
            s.current();
            assertThat(server.getRequestCount()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(2));
            s.current();
            assertThat(server.getRequestCount()).isEqualTo(2);
        }
    }

    @Test
    void toStringShowsTheRedactedUrlAndTheSettings() {
        try (RemoteJwksSource s = source("/jwks?token=not-for-logs")) {
            assertThat(s.toString())
                    .startsWith(
                            "RemoteJwksSource{url=" + server.url("/").toString().replaceAll("/$", ""))
                    .contains("minRefetchInterval=PT30S", "maxStaleness=PT24H", "defaultMaxAge=PT5M")
                    .doesNotContain("not-for-logs");
        }
    }
}
