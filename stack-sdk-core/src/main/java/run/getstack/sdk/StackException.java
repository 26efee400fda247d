package run.getstack.sdk;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception the SDK throws on purpose. Unchecked, like the SDK's model stripe-java: callers catch
 * the category they can act on ({@code StackRateLimitedException}, {@code StackAuthenticationException}, ...) and let
 * the rest propagate.
 *
 * <p>Each instance carries what is known of the failed exchange: the HTTP status (0 when no response was received),
 * STACK's machine-readable error code (branch on it, never on the message) and the request id the control plane
 * gave the call. {@link #getMessage()} shows all three. No exception of this SDK ever carries a secret: API keys,
 * passports and credential values are never part of a message.
 */
public class StackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The HTTP status, or 0 when no response was received. */
    private final int httpStatus;

    /** STACK's error code, if the response had one. */
    private final @Nullable String errorCode;

    /** The control plane's request id, if known. */
    private final @Nullable String requestId;

    /** The message without status, code and request id. */
    private final String detailMessage;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status, or 0 when no response was received
     * @param errorCode STACK's error code ({@code PASSPORT_REVOKED}, ...), if the response had one
     * @param requestId the control plane's request id, if known
     * @param cause the underlying cause, if any
     */
    public StackException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable Throwable cause) {
        super(format(message, httpStatus, errorCode, requestId), cause);
        this.detailMessage = message;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    /**
     * Creates an exception that no HTTP exchange is part of.
     *
     * @param message what went wrong, without any secret
     */
    public StackException(String message) {
        this(message, 0, null, null, null);
    }

    /**
     * Creates an exception that no HTTP exchange is part of.
     *
     * @param message what went wrong, without any secret
     * @param cause the underlying cause
     */
    public StackException(String message, @Nullable Throwable cause) {
        this(message, 0, null, null, cause);
    }

    /**
     * Returns the HTTP status of the failed response.
     *
     * @return the status, or 0 when no response was received (network failure, timeout, local check)
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Returns STACK's machine-readable error code, such as {@code PASSPORT_REVOKED}.
     *
     * @return the code, or null when the failure did not come from a STACK error body
     */
    public @Nullable String errorCode() {
        return errorCode;
    }

    /**
     * Returns the request id the control plane assigned to the call ({@code X-Request-Id}).
     *
     * @return the id, or null when unknown
     */
    public @Nullable String requestId() {
        return requestId;
    }

    /**
     * Returns the message without the status, code and request id that {@link #getMessage()} appends.
     *
     * @return the bare message
     */
    public String detailMessage() {
        return detailMessage;
    }

    private static String format(
            String message, int httpStatus, @Nullable String errorCode, @Nullable String requestId) {
        StringBuilder sb = new StringBuilder(message);
        if (httpStatus != 0 || errorCode != null || requestId != null) {
            sb.append(" (");
            String sep = "";
            if (httpStatus != 0) {
                sb.append("status ").append(httpStatus);
                sep = ", ";
            }
            if (errorCode != null) {
                sb.append(sep).append("code ").append(errorCode);
                sep = ", ";
            }
            if (requestId != null) {
                sb.append(sep).append("request ").append(requestId);
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
