package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.crypto.Ed25519Verify;

class VerifiedTokenCacheTest {
    private final Instant now = Instant.ofEpochSecond(1_800_000_000L);
    private final Ed25519Verify key = key();

    private static Ed25519Verify key() {
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(new byte[32], 0, pk, 0);
        return Ed25519Verify.fromPublicKey(pk);
    }

    @Test
    void anEntryIsServedUntilItsNotAfterInstant() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10);
        cache.put("t", "v", now.plusSeconds(10), "kid", key, now);
        assertThat(cache.get("t", now.plusSeconds(9)).value()).isEqualTo("v");
        assertThat(cache.get("t", now.plusSeconds(10))).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void staysWithinItsBoundPurgingExpiredEntriesFirst() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10);
        cache.put("old", "v", now.plusSeconds(1), "kid", key, now);
        for (int i = 0; i < 9; i++) {
            cache.put("t" + i, "v", now.plusSeconds(100), "kid", key, now);
        }
        cache.put("new", "v", now.plusSeconds(100), "kid", key, now.plusSeconds(2));
        assertThat(cache.size()).isEqualTo(10);
        assertThat(cache.get("old", now)).isNull();
        for (int i = 0; i < 100; i++) {
            cache.put("x" + i, "v", now.plusSeconds(100), "kid", key, now);
            assertThat(cache.size()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void aCacheMustHoldSomething() {
        assertThatThrownBy(() -> new VerifiedTokenCache<String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
