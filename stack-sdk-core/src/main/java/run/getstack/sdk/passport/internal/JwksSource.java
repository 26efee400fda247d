package run.getstack.sdk.passport.internal;

import run.getstack.sdk.passport.PassportVerificationException;

/** Internal, not for public use. Where the verifier gets its keys: a static set or a cached, refreshed JWKS URL. */
public interface JwksSource extends AutoCloseable {
    /**
     * Returns the current key set, refreshing it as the source's policy says.
     *
     * @return the keys
     * @throws PassportVerificationException {@code KEYS_UNAVAILABLE} when no usable key set can be had
     */
    JwkSet current();

    /**
     * Called when a token names a key that {@link #current()} does not hold: refetches the set unless that was done
     * too recently, and returns the freshest set available.
     *
     * @return the refetched set, or the current one when a refetch is not allowed yet
     * @throws PassportVerificationException {@code KEYS_UNAVAILABLE} when no usable key set can be had
     */
    JwkSet refreshForUnknownKid();

    /** Releases what the source owns. Never throws. */
    @Override
    void close();

    /**
     * Internal, not for public use. A fixed key set.
     *
     * @param keys the keys
     * @return a source that always returns them
     */
    static JwksSource fixed(JwkSet keys) {
        return new JwksSource() {
            @Override
            public JwkSet current() {
                return keys;
            }

            @Override
            public JwkSet refreshForUnknownKid() {
                return keys;
            }

            @Override
            public void close() {}

            @Override
            public String toString() {
                return "static " + keys;
            }
        };
    }
}
