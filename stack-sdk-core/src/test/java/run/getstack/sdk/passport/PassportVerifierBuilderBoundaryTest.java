package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Every range the {@link PassportVerifier.Builder} checks, at both ends, and what the built verifier reports. */
class PassportVerifierBuilderBoundaryTest {
    private static final Duration NANO = Duration.ofNanos(1);
    private static final TestKey KEY = TestKey.seeded(42);

    private static PassportVerifier.Builder remote() {
        return PassportVerifier.builder().jwksUrl("https://jwks.example/v1/.well-known/jwks.json");
    }

    private static void inRange(
            String setting,
            Duration min,
            Duration max,
            BiFunction<PassportVerifier.Builder, Duration, PassportVerifier.Builder> set) {
        for (Duration ok : new Duration[] {min, max}) {
            try (PassportVerifier v = set.apply(remote(), ok).build()) {
                assertThat(v.toString()).as(setting + " " + ok).contains(setting + "=" + ok);
            }
        }
        for (Duration bad : new Duration[] {min.minus(NANO), max.plus(NANO)}) {
            assertThatThrownBy(() -> set.apply(remote(), bad))
                    .as(setting + " " + bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("jwks" + Character.toUpperCase(setting.charAt(0)) + setting.substring(1)
                            + " must be between " + min + " and " + max);
        }
    }

    @Test
    void jwksDurationsAreAcceptedAtBothEndsOfTheirRangeAndRefusedJustOutside() {
        inRange(
                "minRefetchInterval",
                Duration.ofSeconds(1),
                Duration.ofHours(1),
                (b, d) -> b.jwksMinRefetchInterval(d));
        inRange("maxStaleness", Duration.ofMinutes(1), Duration.ofDays(7), (b, d) -> b.jwksMaxStaleness(d));
        inRange("defaultMaxAge", Duration.ofSeconds(1), Duration.ofDays(1), (b, d) -> b.jwksDefaultMaxAge(d));
    }

    @Test
    void theFetchTimeoutIsAcceptedAtBothEndsAndRefusedJustOutside() {
        remote().jwksFetchTimeout(Duration.ofMillis(100)).build().close();
        remote().jwksFetchTimeout(Duration.ofMinutes(5)).build().close();
        assertThatThrownBy(
                        () -> remote().jwksFetchTimeout(Duration.ofMillis(100).minus(NANO)))
                .hasMessage("jwksFetchTimeout must be between PT0.1S and PT5M");
        assertThatThrownBy(() -> remote().jwksFetchTimeout(Duration.ofMinutes(5).plus(NANO)))
                .hasMessage("jwksFetchTimeout must be between PT0.1S and PT5M");
    }

    @Test
    void clockSkewIsAcceptedFromZeroToTheMaximum() {
        for (Duration ok : new Duration[] {Duration.ZERO, PassportVerifier.MAX_CLOCK_SKEW}) {
            try (PassportVerifier v = remote().clockSkew(ok).build()) {
                assertThat(v.toString()).contains("clockSkew=" + ok);
            }
        }
        for (Duration bad : new Duration[] {NANO.negated(), PassportVerifier.MAX_CLOCK_SKEW.plus(NANO)}) {
            assertThatThrownBy(() -> remote().clockSkew(bad))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("clockSkew");
        }
    }

    @Test
    void maxTokenSizeIsAcceptedAtBothEndsAndRefusedJustOutside() {
        for (int ok : new int[] {PassportVerifier.MIN_MAX_TOKEN_SIZE, PassportVerifier.MAX_MAX_TOKEN_SIZE}) {
            try (PassportVerifier v = remote().maxTokenSize(ok).build()) {
                assertThat(v.toString()).contains("maxTokenSize=" + ok + ",");
            }
        }
        for (int bad : new int[] {PassportVerifier.MIN_MAX_TOKEN_SIZE - 1, PassportVerifier.MAX_MAX_TOKEN_SIZE + 1}) {
            assertThatThrownBy(() -> remote().maxTokenSize(bad))
                    .as("" + bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxTokenSize");
        }
    }

    @Test
    void theVerifiedTokenCacheSizeIsAcceptedFromZeroToTheMaximum() {
        for (int ok : new int[] {0, PassportVerifier.MAX_VERIFIED_TOKEN_CACHE_SIZE}) {
            try (PassportVerifier v = remote().verifiedTokenCacheSize(ok).build()) {
                assertThat(v.toString()).contains("verifiedTokenCacheSize=" + ok + ",");
            }
        }
        for (int bad : new int[] {-1, PassportVerifier.MAX_VERIFIED_TOKEN_CACHE_SIZE + 1}) {
            assertThatThrownBy(() -> remote().verifiedTokenCacheSize(bad))
                    .as("" + bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("verifiedTokenCacheSize");
        }
    }

    @Test
    void aStaticJwksOfExactlyTheBodyCapIsAcceptedAndOneCharacterMoreIsRefused() {
        String jwks = TestKey.jwks(KEY);
        int cap = 64 * 1024;
        String atCap = jwks + " ".repeat(cap - jwks.length());
        try (PassportVerifier v = PassportVerifier.builder().staticJwks(atCap).build()) {
            // the one key was read (its id is shown redacted: key ids look like credentials to the scrubber)
            assertThat(v.toString()).contains("kids=[[redacted]]").contains("ignored=0");
        }
        assertThatThrownBy(() -> PassportVerifier.builder().staticJwks(atCap + " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staticJwks is larger than " + cap);
    }

    @Test
    void toStringSaysWhetherARevocationCheckIsConfigured() {
        try (PassportVerifier without = remote().build();
                PassportVerifier with = remote().revocationCheck(p -> false).build()) {
            assertThat(without.toString()).contains("revocationCheck=false");
            assertThat(with.toString()).contains("revocationCheck=true");
        }
    }

    @Test
    void afterCloseEveryVerifyIsRefusedEvenForATokenVerifiedBefore() {
        java.time.Instant now = java.time.Instant.now();
        String token = KEY.sign(TestKey.claims(now));
        PassportVerifier v =
                PassportVerifier.builder().staticJwks(TestKey.jwks(KEY)).build();
        assertThat(v.verify(token).jti()).isEqualTo("pp_8f3a");

        v.close();
        v.close(); // idempotent

        assertThatThrownBy(() -> v.verify(token))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("PassportVerifier is closed");
    }
}
