package run.getstack.sdk.passport;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * Thrown when a passport does not verify. {@link #reason()} says which check failed; branch on it, never on the
 * message. The message never contains the token.
 */
public class PassportVerificationException extends StackException {
    private static final long serialVersionUID = 1L;

    /** Why a passport was rejected. */
    public enum Reason {
        /** Not a compact JWS, bad base64url, bad JSON, duplicate members or a wrongly typed header or claim. */
        MALFORMED,
        /** Longer than the configured maximum token size; rejected before any parsing. */
        TOO_LARGE,
        /** The header's {@code alg} is not {@code EdDSA} (this includes {@code none}, HMAC, RSA and ECDSA). */
        UNSUPPORTED_ALGORITHM,
        /** The header's {@code typ} is present and not {@code JWT}. */
        UNSUPPORTED_TYPE,
        /** The header has a {@code crit} parameter; no extension is understood. */
        CRITICAL_HEADER,
        /** The header carries {@code jwk}, {@code jku}, {@code x5u}, {@code x5c} or {@code x5t}: keys never come from the token. */
        FORBIDDEN_HEADER,
        /**
         * The header names a {@code kid} that the JWKS does not list (even after a refetch), or names none while the
         * JWKS holds more than one key.
         */
        UNKNOWN_KEY,
        /** The signature is not valid for the selected key (tampered token, another key, non-canonical signature). */
        BAD_SIGNATURE,
        /** {@code exp} is in the past, beyond the allowed clock skew. */
        EXPIRED,
        /** {@code nbf} is in the future, beyond the allowed clock skew. */
        NOT_YET_VALID,
        /** {@code iat} is in the future, beyond the allowed clock skew. */
        ISSUED_IN_FUTURE,
        /** {@code iss} is not the expected issuer. */
        WRONG_ISSUER,
        /** {@code aud} does not contain the expected audience. */
        WRONG_AUDIENCE,
        /** A required claim is absent. */
        MISSING_CLAIM,
        /** A claim has an impossible value (wrong type, {@code exp} not after {@code iat}, inconsistent stk). */
        INVALID_CLAIM,
        /** No key set could be obtained, or the last good one is older than the configured maximum staleness. */
        KEYS_UNAVAILABLE,
        /** The configured revocation check reports the passport as revoked. */
        REVOKED,
        /** The configured revocation check failed; the passport is rejected (fail closed). */
        REVOCATION_CHECK_FAILED
    }

    /** Which check failed. */
    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason which check failed
     * @param message what was wrong, never containing the token
     */
    public PassportVerificationException(Reason reason, String message) {
        this(reason, message, null);
    }

    /**
     * Creates an exception with a cause.
     *
     * @param reason which check failed
     * @param message what was wrong, never containing the token
     * @param cause the underlying failure, if any
     */
    public PassportVerificationException(Reason reason, String message, @Nullable Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * Returns which check failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
