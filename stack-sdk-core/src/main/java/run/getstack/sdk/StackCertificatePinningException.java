package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * The server's certificate chain matched none of the configured certificate pins, so no request was sent. Not
 * retried: a mismatch is not transient (a changed certificate, or someone in the middle). The message names the host,
 * never the pins or the presented chain.
 */
public class StackCertificatePinningException extends StackNetworkException {
    private static final long serialVersionUID = 1L;

    /** The host whose certificate chain matched no pin. */
    private final String host;

    /**
     * Creates an exception.
     *
     * @param host the host whose certificate did not match
     * @param message what went wrong, naming the host
     * @param requestId the SDK's request id of the logical call, if known
     */
    public StackCertificatePinningException(String host, String message, @Nullable String requestId) {
        super(message, requestId, null);
        this.host = host;
    }

    /**
     * Returns the host whose certificate did not match.
     *
     * @return the host
     */
    public String host() {
        return host;
    }
}
