package run.getstack.sdk.credential;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * The agent's {@code credential_access} is {@code proxy_only}: STACK never hands it a raw credential or lease (403
 * {@code FORBIDDEN}, {@code details.reason} {@code proxy_only}; the default posture of agents registered on hosted
 * STACK). Call the provider through the proxy instead: {@code client.proxy().call(...)}, or add {@code
 * client.proxy().interceptor(service)} to an OkHttp client.
 */
public class StackProxyOnlyException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The {@code details.reason} STACK sends: {@value}. */
    public static final String REASON = "proxy_only";

    /**
     * Creates the exception.
     *
     * @param message what was refused and what to do
     * @param httpStatus the HTTP status (403)
     * @param errorCode STACK's error code
     * @param requestId the request id
     * @param retryAfter the server's Retry-After, if any
     * @param cause the mapped server error
     */
    public StackProxyOnlyException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, REASON, retryAfter, cause);
    }
}
