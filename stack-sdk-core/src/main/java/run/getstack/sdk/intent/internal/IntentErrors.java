package run.getstack.sdk.intent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.intent.StackIntentApprovalRequiredException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;

/**
 * Internal, not for public use. Maps a 403 whose reason is one of the intent approval refusals (wire protocol §14.3)
 * to {@link StackIntentApprovalRequiredException}, whose message says what to do, for {@link ErrorCodes}.
 */
public final class IntentErrors {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private IntentErrors() {}

    /**
     * Returns the intents capability's reasons: STACK sends the intent refusals as {@code 403 FORBIDDEN} with a
     * {@code details.reason} of {@code intent_approval_*}, whatever the call.
     *
     * @return reason prefix to exception factory
     */
    public static Map<String, ErrorCodes.Factory> reasonPrefixes() {
        return Map.of(StackIntentApprovalRequiredException.REASON_PREFIX, IntentErrors::approvalRequired);
    }

    /** An {@code intent_approval_*} refusal under 403; under any other status the status mapping stays (null). */
    private static @Nullable StackException approvalRequired(StackApiException e, @Nullable JsonNode details) {
        String reason = e.reason();
        if (e instanceof StackPermissionException && reason != null) {
            String approvalId = null;
            if (details != null && details.path("approval_id").isTextual()) {
                String v = details.path("approval_id").asText();
                approvalId = ID.matcher(v).matches() && !ErrorMapper.carriesKeyOrJwt(v) ? v : null;
            }
            return new StackIntentApprovalRequiredException(
                    what(reason, approvalId) + " (STACK said: " + e.detailMessage() + ")",
                    e.httpStatus(),
                    e.errorCode(),
                    e.requestId(),
                    reason,
                    approvalId,
                    e.retryAfter().orElse(null));
        }
        return null;
    }

    /**
     * Says what to do about an intent refusal.
     *
     * @param reason the refusal's reason
     * @param approvalId the approval the call carried, if any
     * @return the message
     */
    public static String what(String reason, @Nullable String approvalId) {
        String todo = "submit an intent for this call (client.intents().submit(IntentClaim.forProxyCall(request, name)"
                + " or IntentClaim.forSkill(skillId, input, name), then .reason(...).build())), wait for the owner's"
                + " approval (client.intents().whenDecided(...)), then send the call once with"
                + " request.withApprovalId(approvalId) or client.skills().invoke(skillId, input, approvalId)";
        String a = approvalId == null ? "" : " " + approvalId;
        return switch (reason) {
            case "intent_approval_required" -> "this agent is enforced: the call needs an approved intent; " + todo;
            case "intent_approval_pending" ->
                "intent approval" + a + " is still pending: wait for the owner (client.intents().whenDecided(...))";
            case "intent_approval_mismatch" ->
                "intent approval" + a + " approves another action or target than this call; " + todo;
            default ->
                "intent approval" + a + " cannot be used ("
                        + reason.substring(StackIntentApprovalRequiredException.REASON_PREFIX.length()) + "); " + todo;
        };
    }
}
