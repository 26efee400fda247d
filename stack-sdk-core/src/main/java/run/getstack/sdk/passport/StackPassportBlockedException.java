package run.getstack.sdk.passport;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * The agent is blocked ({@code PASSPORT_BLOCKED}, HTTP 403): a detector or a review blocked it, so no passport is
 * issued, refreshed or delegated to it until an operator has looked at the security event and cleared the flag
 * ({@code client.agents().unblock(agentId)}). This is what an agent meets when it asks for a new passport after its
 * passport was revoked by a block; after a plain revocation a new passport is issued as usual. Restarting the agent
 * does not clear it. A {@link StackPermissionException}, so code that catches that still catches this.
 */
public class StackPassportBlockedException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status
     * @param errorCode STACK's error code
     * @param requestId the control plane's request id, if known
     * @param reason {@code error.details.reason}, if the server sent one
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the underlying cause, if any
     */
    public StackPassportBlockedException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, cause);
    }
}
