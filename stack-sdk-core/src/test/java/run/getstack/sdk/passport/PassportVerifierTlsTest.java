package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Issue 16 item 11, the verifier's side: the JWKS fetch is TLS 1.2+ only and honours certificate pins; tested over
 * loopback TLS with generated certificates.
 */
class PassportVerifierTlsTest {
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

    private final MockWebServer server = new MockWebServer();
    private final TestClock clock = TestClock.create();
    private final TestKey stack = TestKey.seeded(1);
    private OkHttpClient trusting;

    @BeforeEach
    void startTls() throws Exception {
        server.useHttps(new HandshakeCertificates.Builder()
                .heldCertificate(SERVER, ROOT.certificate())
                .build()
                .sslSocketFactory());
        server.start();
        HandshakeCertificates clientCerts = new HandshakeCertificates.Builder()
                .addTrustedCertificate(ROOT.certificate())
                .build();
        trusting = new OkHttpClient.Builder()
                .sslSocketFactory(clientCerts.sslSocketFactory(), clientCerts.trustManager())
                .connectionSpecs(List.of(ConnectionSpec.COMPATIBLE_TLS)) // would still allow TLS 1.0 and 1.1
                .build();
    }

    @AfterEach
    void stop() {
        server.close();
        trusting.dispatcher().executorService().shutdown();
        trusting.connectionPool().evictAll();
    }

    private PassportVerifier.Builder verifier() {
        return PassportVerifier.builder()
                .jwksUrl(server.url("/v1/.well-known/jwks.json").toString())
                .okHttpClient(trusting)
                .clock(clock);
    }

    private void serveJwks() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(TestKey.jwks(stack))
                .build());
    }

    @Test
    void aPinnedJwksHostWorks() {
        serveJwks();
        try (PassportVerifier v = verifier()
                .certificatePin("localhost", CertificatePinner.pin(SERVER.certificate()))
                .build()) {
            assertThat(v.verify(stack.sign(TestKey.claims(clock.instant()))).jti())
                    .isEqualTo("pp_8f3a");
        }
    }

    @Test
    void aPinMismatchFailsClosedNamingTheHostNeverThePins() {
        serveJwks();
        String pin = CertificatePinner.pin(OTHER.certificate());
        try (PassportVerifier v = verifier().certificatePin("localhost", pin).build()) {
            assertThatThrownBy(() -> v.verify(stack.sign(TestKey.claims(clock.instant()))))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE))
                    .hasMessageContaining("localhost")
                    .hasMessageContaining("certificate pins")
                    .hasMessageNotContaining("sha256/")
                    .hasMessageNotContaining(pin.substring(7));
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theJwksFetchIsTls12OrNewerWhateverASharedClientAllowed() {
        try (PassportVerifier v = verifier().build()) {
            OkHttpClient http = v.jwksHttpClient();
            assertThat(http).isNotNull();
            assertThat(http.connectionSpecs())
                    .filteredOn(ConnectionSpec::isTls)
                    .isNotEmpty()
                    .allSatisfy(spec ->
                            assertThat(spec.tlsVersions()).containsOnly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2));
        }
    }

    @Test
    void aMalformedPinIsRefusedAtOnceNamingTheSetting() {
        assertThatThrownBy(() -> PassportVerifier.builder().certificatePin("localhost", "sha256/short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificatePin:");
    }

    @Test
    void pinsWithAStaticJwksAreAContradictionBuildRefuses() {
        PassportVerifier.Builder b = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack))
                .certificatePin("localhost", CertificatePinner.pin(SERVER.certificate()));
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("certificatePin");
    }
}
