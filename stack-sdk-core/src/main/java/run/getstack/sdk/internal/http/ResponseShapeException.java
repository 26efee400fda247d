package run.getstack.sdk.internal.http;

/**
 * Internal, not for public use. Thrown by response decoders when valid JSON has the wrong shape; the transport turns
 * it into a {@code StackMalformedResponseException} carrying the status and request id. Messages name the field,
 * never its value.
 */
public final class ResponseShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message which field was missing or of the wrong type
     */
    public ResponseShapeException(String message) {
        super(message, null, false, false);
    }
}
