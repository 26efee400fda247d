package run.getstack.sdk.passport;

/**
 * Tells whether a verified passport has been revoked. Consulted by {@link PassportVerifier} on every
 * verification, including those answered from its verified-token cache, after the signature and claims passed. Must
 * be fast and thread-safe; it may consult a local revocation list kept current elsewhere.
 */
@FunctionalInterface
public interface RevocationCheck {
    /**
     * Tells whether the passport is revoked.
     *
     * @param passport the passport, already verified
     * @return true to reject it with {@link PassportVerificationException.Reason#REVOKED}
     * @throws RuntimeException when revocation cannot be determined; the passport is then rejected with {@link
     *     PassportVerificationException.Reason#REVOCATION_CHECK_FAILED}
     */
    boolean isRevoked(VerifiedPassport passport);
}
