package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.StackRateLimitedException;
import run.getstack.sdk.StackServerException;

/**
 * Internal, not for public use. Turns an error response into the SDK's exception for its status, from STACK's
 * envelope {@code {"error":{"message","code","details"?,"request_id"?}}}. The exception's message is a bounded,
 * scrubbed excerpt of {@code error.message} only, never the body.
 */
public final class ErrorMapper {
    /** Longest excerpt of the server's message kept in an exception message. */
    public static final int MAX_MESSAGE_EXCERPT = 200;

    private static final int MAX_CODE_LENGTH = 64;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** Things that look like credentials: JWTs, STACK keys, long base64/hex runs. */
    private static final Pattern SECRET_LIKE =
            Pattern.compile("eyJ[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)*|sk_[A-Za-z0-9_]+|[A-Za-z0-9+/_=-]{32,}");

    /** A code-specific mapper installed by resource packages (for example passport revocation). */
    @FunctionalInterface
    public interface CodeMapper {
        /**
         * Returns a more specific exception for this error, or null to use the status mapping.
         *
         * @param e the exception the status mapping produced
         * @return the replacement, or null
         */
        @Nullable
        StackException map(StackApiException e);

        /**
         * Returns a more specific exception for this error, given the envelope's {@code details} too (bounded JSON
         * from the server: read only what the code defines, validate it).
         *
         * @param e the exception the status mapping produced
         * @param details {@code error.details} if it is an object, else null
         * @return the replacement, or null
         */
        default @Nullable StackException map(StackApiException e, @Nullable JsonNode details) {
            return map(e);
        }
    }

    private ErrorMapper() {}

    /**
     * Maps an error response.
     *
     * @param status the HTTP status (not 2xx)
     * @param body the body bytes (already size-capped)
     * @param headerRequestId the {@code X-Request-Id} response header, if any
     * @param sentRequestId the request id the SDK sent, used when the response names none
     * @param retryAfter the parsed {@code Retry-After}, if any
     * @param codeMapper code-specific refinement
     * @return the exception to throw (a {@link StackMalformedResponseException} if the body is not STACK's envelope)
     */
    public static StackException map(
            int status,
            byte[] body,
            @Nullable String headerRequestId,
            String sentRequestId,
            @Nullable Duration retryAfter,
            CodeMapper codeMapper) {
        String fallbackId = headerRequestId != null ? headerRequestId : sentRequestId;
        JsonNode root;
        try {
            root = Json.parse(body, status, headerRequestId);
        } catch (StackMalformedResponseException e) {
            return new StackMalformedResponseException(
                    "HTTP " + status + " error response is not a STACK error body (not JSON)",
                    status,
                    fallbackId,
                    null);
        }
        JsonNode error = root.get("error");
        if (error == null || !error.isObject()) {
            return new StackMalformedResponseException(
                    "HTTP " + status + " error response is not a STACK error body (no 'error' object)",
                    status,
                    fallbackId,
                    null);
        }
        String code = validOrNull(error.get("code"), CODE);
        String bodyRequestId = validOrNull(error.get("request_id"), REQUEST_ID);
        String requestId =
                headerRequestId != null ? headerRequestId : bodyRequestId != null ? bodyRequestId : sentRequestId;
        JsonNode details = error.get("details");
        String reason = details != null && details.isObject() ? validOrNull(details.get("reason"), CODE) : null;
        JsonNode m = error.get("message");
        String message = m != null && m.isTextual() ? excerpt(m.asText()) : "(no message)";
        StackApiException mapped = byStatus(status, message, code, requestId, reason, retryAfter);
        StackException refined = codeMapper.map(mapped, details != null && details.isObject() ? details : null);
        return refined != null ? refined : mapped;
    }

    /**
     * Returns a bounded, single-line excerpt of a server message with anything credential-like replaced.
     *
     * @param message the server's message
     * @return the excerpt
     */
    public static String excerpt(String message) {
        String s = message.length() > 4 * MAX_MESSAGE_EXCERPT ? message.substring(0, 4 * MAX_MESSAGE_EXCERPT) : message;
        s = s.replaceAll("\\p{Cntrl}", " ");
        s = SECRET_LIKE.matcher(s).replaceAll("[redacted]");
        if (s.length() > MAX_MESSAGE_EXCERPT) {
            s = s.substring(0, MAX_MESSAGE_EXCERPT) + "...";
        }
        return s;
    }

    private static @Nullable String validOrNull(@Nullable JsonNode n, Pattern p) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        String s = n.asText();
        return s.length() <= MAX_CODE_LENGTH * 2 && p.matcher(s).matches() ? s : null;
    }

    private static StackApiException byStatus(
            int status,
            String message,
            @Nullable String code,
            @Nullable String requestId,
            @Nullable String reason,
            @Nullable Duration retryAfter) {
        return switch (status) {
            case 400, 422 ->
                new StackInvalidRequestException(message, status, code, requestId, reason, retryAfter, null);
            case 401 -> new StackAuthenticationException(message, status, code, requestId, reason, retryAfter, null);
            case 403 -> new StackPermissionException(message, status, code, requestId, reason, retryAfter, null);
            case 404 -> new StackNotFoundException(message, status, code, requestId, reason, retryAfter, null);
            case 409 -> new StackConflictException(message, status, code, requestId, reason, retryAfter, null);
            case 429 -> new StackRateLimitedException(message, status, code, requestId, reason, retryAfter, null);
            default ->
                status >= 500 && status <= 599
                        ? new StackServerException(message, status, code, requestId, reason, retryAfter, null)
                        : new StackApiException(message, status, code, requestId, reason, retryAfter, null);
        };
    }
}
