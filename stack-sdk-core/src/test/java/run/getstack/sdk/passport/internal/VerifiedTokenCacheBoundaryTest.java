package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.crypto.Ed25519Verify;

/** How many entries {@link VerifiedTokenCache} drops when full, which ones, and {@code clear()}. */
class VerifiedTokenCacheBoundaryTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Ed25519Verify KEY = key();

    private static Ed25519Verify key() {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(3).nextBytes(sk);
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        return Ed25519Verify.fromPublicKey(pk);
    }

    private static void put(VerifiedTokenCache<String> cache, String token, Instant notAfter) {
        cache.put(token, "v-" + token, notAfter, "k", KEY, NOW);
    }

    @Test
    void aFullCacheOfLiveEntriesDropsOneTenthBeforeAdding() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(20);
        for (int i = 0; i < 20; i++) {
            put(cache, "t" + i, NOW.plusSeconds(60));
        }
        put(cache, "new", NOW.plusSeconds(60));
        assertThat(cache.size()).isEqualTo(19); // 20 - 2 + 1
        assertThat(cache.get("new", NOW)).isNotNull();
    }

    @Test
    void aFullSmallCacheDropsAtLeastOneEntry() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(5);
        for (int i = 0; i < 5; i++) {
            put(cache, "t" + i, NOW.plusSeconds(60));
        }
        put(cache, "new", NOW.plusSeconds(60));
        assertThat(cache.size()).isEqualTo(5);
    }

    @Test
    void entriesEndingExactlyNowAreEvictedFirstSoNoLiveEntryIsDropped() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10);
        for (int i = 0; i < 9; i++) {
            put(cache, "live" + i, NOW.plusSeconds(60));
        }
        put(cache, "ends-now", NOW);
        put(cache, "new", NOW.plusSeconds(60));

        assertThat(cache.size()).isEqualTo(10);
        for (int i = 0; i < 9; i++) {
            assertThat(cache.get("live" + i, NOW)).as("live" + i).isNotNull();
        }
        assertThat(cache.get("ends-now", NOW)).isNull();
    }

    @Test
    void whenTheOnlyOtherEntryEndsExactlyNowTheLiveOneSurvivesAFullCache() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(2);
        put(cache, "expired", NOW);
        put(cache, "live", NOW.plusSeconds(60));
        put(cache, "new", NOW.plusSeconds(60));

        assertThat(cache.get("live", NOW)).isNotNull();
        assertThat(cache.get("new", NOW)).isNotNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void clearForgetsEverything() {
        VerifiedTokenCache<String> cache = new VerifiedTokenCache<>(10);
        put(cache, "a", NOW.plusSeconds(60));
        put(cache, "b", NOW.plusSeconds(60));
        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.get("a", NOW)).isNull();
    }
}
