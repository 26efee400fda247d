package run.getstack.sdk.intent;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * The call needs an approved intent it does not have: the agent is in {@code enforced} mode and the call carried no
 * approval, or one that is still pending, lapsed, already used or for another action ({@link #reason()} says which:
 * {@code intent_approval_required}, {@code intent_approval_pending}, {@code intent_approval_expired}, {@code
 * intent_approval_consumed}, {@code intent_approval_mismatch}, {@code intent_approval_unknown}). Nothing was sent
 * upstream.
 *
 * <p>Submit an intent for the call ({@code client.intents().submit(IntentClaim.forProxyCall(request, name)...)}),
 * wait for the owner ({@link Intents#whenDecided}), then send the call once with the approval's id ({@link
 * run.getstack.sdk.proxy.ProxyRequest#withApprovalId(String)}).
 */
public class StackIntentApprovalRequiredException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The prefix of every reason of this refusal. */
    public static final String REASON_PREFIX = "intent_approval_";

    /** See {@link #approvalId()}. */
    private final @Nullable String approvalId;

    /**
     * Creates an exception.
     *
     * @param message what went wrong, without any secret
     * @param httpStatus the HTTP status, or 0 when the SDK found it without asking
     * @param errorCode STACK's error code, if any
     * @param requestId the control plane's request id, if known
     * @param reason which of the cases it is
     * @param approvalId the approval the call carried, if any
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     */
    public StackIntentApprovalRequiredException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            String reason,
            @Nullable String approvalId,
            @Nullable Duration retryAfter) {
        super(message, httpStatus, errorCode, requestId, reason, retryAfter, null);
        this.approvalId = approvalId;
    }

    /**
     * Returns the approval the refused call carried.
     *
     * @return the {@code ia_…} id, or null when the call carried none
     */
    public @Nullable String approvalId() {
        return approvalId;
    }
}
