package run.getstack.sdk.passport.internal;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.crypto.Ed25519Verify;

/**
 * Internal, not for public use. Remembers tokens that verified, keyed by the exact token string, until they expire.
 * Bounded: when full, expired entries are purged first, then arbitrary entries are dropped (a miss only costs one
 * full verification). Each entry keeps the {@code kid} and key that verified it so the caller can check that the key
 * is still published. Lock-free reads; thread-safe.
 *
 * @param <V> the remembered result
 */
public final class VerifiedTokenCache<V> {

    /**
     * Internal, not for public use. One remembered verification.
     *
     * @param <V> the result type
     */
    public static final class Entry<V> {
        private final V value;
        private final long notAfterEpochMilli;
        private final String kid;
        private final Ed25519Verify key;

        Entry(V value, Instant notAfter, String kid, Ed25519Verify key) {
            this.value = value;
            this.notAfterEpochMilli = notAfter.toEpochMilli();
            this.kid = kid;
            this.key = key;
        }

        /**
         * Returns the remembered result.
         *
         * @return the value
         */
        public V value() {
            return value;
        }

        /**
         * Returns the key id that verified the token.
         *
         * @return the kid
         */
        public String kid() {
            return kid;
        }

        /**
         * Returns the key that verified the token.
         *
         * @return the key
         */
        public Ed25519Verify key() {
            return key;
        }
    }

    private final int maxSize;
    private final ConcurrentHashMap<String, Entry<V>> entries;

    /**
     * Creates a cache.
     *
     * @param maxSize the most entries kept; must be positive
     */
    public VerifiedTokenCache(int maxSize) {
        if (maxSize <= 0) {
            throw new IllegalArgumentException("maxSize must be positive");
        }
        this.maxSize = maxSize;
        this.entries = new ConcurrentHashMap<>(Math.min(maxSize, 1024));
    }

    /**
     * Looks a token up.
     *
     * @param token the exact token string
     * @param now the current time
     * @return the entry, or null when absent or no longer valid at {@code now} (then it is removed)
     */
    public @Nullable Entry<V> get(String token, Instant now) {
        Entry<V> e = entries.get(token);
        if (e == null) {
            return null;
        }
        if (now.toEpochMilli() >= e.notAfterEpochMilli) {
            entries.remove(token, e);
            return null;
        }
        return e;
    }

    /**
     * Remembers a verified token.
     *
     * @param token the exact token string
     * @param value the result
     * @param notAfter from when the entry must not be used (expiry plus allowed skew)
     * @param kid the key id that verified it
     * @param key the key that verified it
     * @param now the current time
     */
    public void put(String token, V value, Instant notAfter, String kid, Ed25519Verify key, Instant now) {
        if (entries.size() >= maxSize) {
            evict(now);
        }
        entries.put(token, new Entry<>(value, notAfter, kid, key));
    }

    /**
     * Forgets a token.
     *
     * @param token the exact token string
     */
    public void remove(String token) {
        entries.remove(token);
    }

    /**
     * Returns the number of entries.
     *
     * @return the size
     */
    public int size() {
        return entries.size();
    }

    /** Forgets everything. */
    public void clear() {
        entries.clear();
    }

    private void evict(Instant now) {
        long nowMilli = now.toEpochMilli();
        entries.values().removeIf(e -> nowMilli >= e.notAfterEpochMilli);
        // still full: drop about a tenth, arbitrary entries
        int size = entries.size();
        int excess = size >= maxSize ? size - maxSize + Math.max(1, maxSize / 10) : 0;
        Iterator<Map.Entry<String, Entry<V>>> it = entries.entrySet().iterator();
        while (excess > 0 && it.hasNext()) {
            it.next();
            it.remove();
            excess--;
        }
    }
}
