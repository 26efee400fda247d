package run.getstack.sdk.testkit;

import java.security.PublicKey;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A signing key listed in the fake's JWKS (the private half never leaves the fake).
 *
 * @param kid RFC 7638 thumbprint
 * @param publicKey the Ed25519 public key
 * @param createdAt when it started signing
 * @param retiredAt when it stopped signing, or null for the current key
 */
public record SigningKeyInfo(
        String kid,
        PublicKey publicKey,
        Instant createdAt,
        @Nullable Instant retiredAt) {
    /**
     * Whether this key signs new passports.
     *
     * @return true for the current key
     */
    public boolean current() {
        return retiredAt == null;
    }
}
