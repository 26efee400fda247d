package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.CertificatePinner;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Issue 16 item 11: the client speaks TLS 1.2+ only, whatever a shared OkHttp client allowed, and honours an optional
 * set of certificate pins; tested over loopback TLS with generated certificates.
 */
class TlsPinningTest {
    static final HeldCertificate ROOT = new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("stack-sdk test root")
            .build();
    static final HeldCertificate SERVER = new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .signedBy(ROOT)
            .build();
    static final HeldCertificate OTHER = new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .signedBy(ROOT)
            .build();

    final MockWebServer server = new MockWebServer();
    final TestClock clock = TestClock.create();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    OkHttpClient trusting;

    @BeforeEach
    void startTls() throws Exception {
        HandshakeCertificates serverCerts = new HandshakeCertificates.Builder()
                .heldCertificate(SERVER, ROOT.certificate())
                .build();
        server.useHttps(serverCerts.sslSocketFactory());
        server.start();
        HandshakeCertificates clientCerts = new HandshakeCertificates.Builder()
                .addTrustedCertificate(ROOT.certificate())
                .build();
        trusting = new OkHttpClient.Builder()
                .sslSocketFactory(clientCerts.sslSocketFactory(), clientCerts.trustManager())
                // a shared client that would still allow TLS 1.0 and 1.1
                .connectionSpecs(java.util.List.of(ConnectionSpec.COMPATIBLE_TLS))
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
        trusting.dispatcher().executorService().shutdown();
        trusting.connectionPool().evictAll();
    }

    private StackClient.Builder client() {
        return StackClient.builder()
                .baseUrl(server.url("/").toString())
                .apiKey("sk_live_op_TLSKEYtlskey0123456789abcdef")
                .okHttpClient(trusting)
                .clock(clock)
                .sleeper(sleeper)
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .retryPolicy(RetryPolicy.builder()
                        .maxAttempts(3)
                        .maxElapsed(Duration.ofSeconds(30))
                        .build());
    }

    private static int call(StackClient c) {
        return c.transport().execute(ApiRequest.get("/v1/x").build()).status();
    }

    @Test
    void aPinnedMatchWorks() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{}")
                .build());
        try (StackClient c = client().certificatePin("localhost", CertificatePinner.pin(OTHER.certificate()))
                .certificatePin("localhost", CertificatePinner.pin(SERVER.certificate()))
                .build()) {
            assertThat(call(c)).isEqualTo(200);
        }
    }

    @Test
    void aPinMismatchFailsAtOnceNamingTheHostNeverThePins() {
        String pin = CertificatePinner.pin(OTHER.certificate());
        String actual = CertificatePinner.pin(SERVER.certificate());
        try (StackClient c = client().certificatePin("localhost", pin).build()) {
            assertThatThrownBy(() -> call(c))
                    .isInstanceOfSatisfying(StackCertificatePinningException.class, e -> {
                        assertThat(e.host()).isEqualTo("localhost");
                        assertThat(e.getCause()).isNull(); // OkHttp's message lists the chain and the pins
                    })
                    .hasMessageContaining("localhost")
                    .hasMessageContaining("certificate pins")
                    .hasMessageNotContaining(pin.substring(7))
                    .hasMessageNotContaining(actual.substring(7))
                    .hasMessageNotContaining("sha256/");
        }
        assertThat(server.getRequestCount()).isZero(); // the pin check comes before the request is sent
        assertThat(sleeper.waits).isEmpty(); // and is not retried
    }

    @Test
    void everyConnectionIsTls12OrNewerWhateverASharedClientAllowed() {
        try (StackClient c = client().build()) {
            assertThat(c.okHttp().connectionSpecs()).allSatisfy(spec -> {
                if (spec.isTls()) {
                    assertThat(spec.tlsVersions()).containsOnly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
                } else {
                    assertThat(spec).isEqualTo(ConnectionSpec.CLEARTEXT); // reaches only a loopback http:// URL
                }
            });
        }
        try (StackClient plain = StackClient.builder()
                .apiKey("sk_live_op_TLSKEYtlskey0123456789abcdef")
                .build()) {
            assertThat(plain.okHttp().connectionSpecs())
                    .filteredOn(ConnectionSpec::isTls)
                    .allSatisfy(spec ->
                            assertThat(spec.tlsVersions()).containsOnly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2));
        }
    }

    @Test
    void aMalformedPinIsRefusedAtOnceNamingTheSetting() {
        assertThatThrownBy(() -> StackClient.builder().certificatePin("localhost", "md5/abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificatePin:");
        assertThatThrownBy(() -> StackClient.builder().certificatePin("localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificatePin:");
        assertThatThrownBy(() -> StackClient.builder().certificatePin("", CertificatePinner.pin(SERVER.certificate())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificatePin:");
    }
}
