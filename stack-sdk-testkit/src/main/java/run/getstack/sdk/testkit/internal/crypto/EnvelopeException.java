package run.getstack.sdk.testkit.internal.crypto;

/**
 * Internal, not for public use. An envelope could not be opened: wrong tenant key, or a tampered DEK or
 * ciphertext. The message never contains key or plaintext material.
 */
public final class EnvelopeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
