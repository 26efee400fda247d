package run.getstack.sdk.passport.internal;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerificationException;

/** Internal, not for public use. Picks the verification key for a token's {@code kid}; never from the token itself. */
@FunctionalInterface
public interface KeyLookup {
    /**
     * Finds the key.
     *
     * @param kid the header's {@code kid}, or null when absent
     * @return the key
     * @throws PassportVerificationException {@code UNKNOWN_KEY} or {@code KEYS_UNAVAILABLE}
     */
    Ed25519Verify find(@Nullable String kid);
}
