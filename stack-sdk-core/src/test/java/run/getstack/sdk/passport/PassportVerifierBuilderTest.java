package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class PassportVerifierBuilderTest {
    private final TestKey key = TestKey.seeded(5);

    @Test
    void defaultsAreTheDocumentedConstants() {
        assertThat(PassportVerifier.DEFAULT_ISSUER).isEqualTo("https://api.getstack.run");
        assertThat(PassportVerifier.DEFAULT_AUDIENCE).isEqualTo("stack:passport");
        assertThat(PassportVerifier.DEFAULT_JWKS_URL).isEqualTo("https://api.getstack.run/v1/.well-known/jwks.json");
        assertThat(PassportVerifier.DEFAULT_CLOCK_SKEW).isEqualTo(Duration.ofSeconds(30));
        assertThat(PassportVerifier.DEFAULT_MAX_TOKEN_SIZE).isEqualTo(8192);
        assertThat(PassportVerifier.DEFAULT_JWKS_MIN_REFETCH_INTERVAL).isEqualTo(Duration.ofSeconds(30));
        assertThat(PassportVerifier.DEFAULT_JWKS_MAX_STALENESS).isEqualTo(Duration.ofHours(24));
        assertThat(PassportVerifier.DEFAULT_VERIFIED_TOKEN_CACHE_SIZE).isEqualTo(10_000);
    }

    @Test
    void toStringShowsTheConfiguration() {
        try (PassportVerifier v = PassportVerifier.builder()
                .jwksUrl(PassportVerifier.DEFAULT_JWKS_URL)
                .clockSkew(Duration.ofSeconds(5))
                .build()) {
            assertThat(v.toString()).contains("api.getstack.run", "stack:passport", "PT5S", "maxTokenSize=8192");
        }
    }

    @Test
    void aVerifierNeedsKeys() {
        assertThatThrownBy(() -> PassportVerifier.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("jwksUrl");
    }

    @Test
    void theJwksUrlMustBeHttpsExceptForLoopback() {
        PassportVerifier.Builder b = PassportVerifier.builder();
        assertThatThrownBy(() -> b.jwksUrl("http://api.getstack.run/v1/.well-known/jwks.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jwksUrl");
        assertThatThrownBy(() -> b.jwksUrl("ftp://x/jwks")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.jwksUrl("https://user:pw@api.getstack.run/jwks"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> b.jwksUrl((String) null)).isInstanceOf(NullPointerException.class);
        b.jwksUrl("http://localhost:8080/v1/.well-known/jwks.json");
        b.jwksUrl("http://127.0.0.1:8080/v1/.well-known/jwks.json");
        b.jwksUrl(java.net.URI.create(PassportVerifier.DEFAULT_JWKS_URL));
    }

    @Test
    void aStaticJwksMustHoldAUsableKey() {
        PassportVerifier.Builder b = PassportVerifier.builder();
        assertThatThrownBy(() -> b.staticJwks("not json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staticJwks");
        assertThatThrownBy(() -> b.staticJwks("{\"keys\":[]}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.staticJwks("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\"}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(b.staticJwks(TestKey.jwks(key))).isSameAs(b);
    }

    @Test
    void eachSettingIsValidatedAtOnce() {
        PassportVerifier.Builder b = PassportVerifier.builder();
        assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1))).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> b.clockSkew(Duration.ofMinutes(6))).hasMessageContaining("clockSkew");
        assertThatThrownBy(() -> b.maxTokenSize(100)).hasMessageContaining("maxTokenSize");
        assertThatThrownBy(() -> b.maxTokenSize(1_000_000)).hasMessageContaining("maxTokenSize");
        assertThatThrownBy(() -> b.jwksMinRefetchInterval(Duration.ZERO))
                .hasMessageContaining("jwksMinRefetchInterval");
        assertThatThrownBy(() -> b.jwksMaxStaleness(Duration.ofDays(30))).hasMessageContaining("jwksMaxStaleness");
        assertThatThrownBy(() -> b.jwksDefaultMaxAge(Duration.ZERO)).hasMessageContaining("jwksDefaultMaxAge");
        assertThatThrownBy(() -> b.jwksFetchTimeout(Duration.ofMillis(1))).hasMessageContaining("jwksFetchTimeout");
        assertThatThrownBy(() -> b.verifiedTokenCacheSize(-1)).hasMessageContaining("verifiedTokenCacheSize");
        assertThatThrownBy(() -> b.expectedIssuer("")).hasMessageContaining("expectedIssuer");
        assertThatThrownBy(() -> b.expectedAudience("")).hasMessageContaining("expectedAudience");
        assertThatThrownBy(() -> b.clock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
        assertThatThrownBy(() -> b.revocationCheck(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.okHttpClient(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aSharedHttpClientIsAcceptedAndNotClosed() {
        OkHttpClient shared = new OkHttpClient();
        try {
            PassportVerifier v = PassportVerifier.builder()
                    .jwksUrl(PassportVerifier.DEFAULT_JWKS_URL)
                    .okHttpClient(shared)
                    .build();
            v.close();
            assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
        } finally {
            shared.dispatcher().executorService().shutdown();
        }
    }

    @Test
    void aClosedVerifierRefusesToVerify() {
        PassportVerifier v =
                PassportVerifier.builder().staticJwks(TestKey.jwks(key)).build();
        v.close();
        v.close();
        assertThatThrownBy(() -> v.verify("a.b.c")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aLowerMaxTokenSizeIsEnforced() {
        try (PassportVerifier v = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(key))
                .maxTokenSize(512)
                .clock(run.getstack.sdk.testkit.time.TestClock.at(java.time.Instant.ofEpochSecond(1_800_000_000L)))
                .build()) {
            String token = key.sign(TestKey.claims(java.time.Instant.ofEpochSecond(1_800_000_000L)));
            assertThat(token.length()).isGreaterThan(512);
            assertThatThrownBy(() -> v.verify(token))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(PassportVerificationException.Reason.TOO_LARGE));
        }
    }
}
