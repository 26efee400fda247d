package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
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
 * envelope {@code {"error":{"message","code","details"?,"request_id"?}}} (or RFC 6749's {@code {"error":"<code>",
 * "error_description"?}} from the token endpoint). The exception's message is a bounded, scrubbed excerpt of {@code
 * error.message} (or {@code error_description}) only, never the body.
 *
 * <p>Every server-supplied string that reaches an exception (message or field) or a log line passes the same
 * credential check: the message through {@link #excerpt(String)}, the identifiers ({@code error.code}, {@code
 * error.request_id}, {@code details.reason}, the {@code X-Request-Id} header) through {@link #identifier(String,
 * Pattern)}, which drops a value that looks like a credential (a server that reflects the caller's API key into an
 * identifier must not put it into the caller's logs).
 */
public final class ErrorMapper {
    /** Longest excerpt of the server's message kept in an exception message. */
    public static final int MAX_MESSAGE_EXCERPT = 200;

    private static final int MAX_CODE_LENGTH = 64;
    /** What an error code or reason may look like. */
    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    /** What a request id may look like (wire protocol §1.7). */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** A canonical UUID: random-looking but a common request id form, and not a credential of STACK's. */
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * Characters removed from server text: controls (Cc, which includes U+0085), and the line and paragraph
     * separators (Zl U+2028, Zp U+2029) become a space; format characters (Cf: zero-width U+200B, bidi overrides
     * such as U+202E, ...) are removed, so they can neither forge log lines nor split a credential past the check.
     */
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

    private static final Pattern INVISIBLE = Pattern.compile("\\p{Cf}");

    /** Things that look like credentials: JWTs, STACK keys, long base64/hex runs. */
    private static final Pattern SECRET_LIKE =
            Pattern.compile("eyJ[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)*|sk_[A-Za-z0-9_]+|[A-Za-z0-9+/_=-]{32,}");

    /** The run of credential characters (those of {@link #SECRET_LIKE}) at the end of a cut message. */
    private static final Pattern CUT_TOKEN_TAIL = Pattern.compile("[A-Za-z0-9+/_=.-]+$");

    /** The owner name of the codes the transport types itself, in {@link ErrorCodes}. */
    public static final String TRANSPORT = "transport";

    private ErrorMapper() {}

    /**
     * Maps an error response.
     *
     * @param status the HTTP status (not 2xx)
     * @param body the body bytes (already size-capped)
     * @param rawHeaderRequestId the {@code X-Request-Id} response header, if any (checked here)
     * @param sentRequestId the request id the SDK sent, used when the response names none
     * @param retryAfter the parsed {@code Retry-After}, if any
     * @param codes the registry of codes with a type of their own
     * @return the exception to throw (a {@link StackMalformedResponseException} if the body is not STACK's envelope)
     */
    public static StackException map(
            int status,
            byte[] body,
            @Nullable String rawHeaderRequestId,
            String sentRequestId,
            @Nullable Duration retryAfter,
            ErrorCodes codes) {
        String headerRequestId = identifier(rawHeaderRequestId, REQUEST_ID);
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
        if (error != null && error.isTextual()) {
            // RFC 6749 §5.2, the token endpoint's form: {"error":"invalid_grant","error_description":"..."}
            JsonNode description = root.get("error_description");
            String message =
                    description != null && description.isTextual() ? excerpt(description.asText()) : "(no message)";
            return byStatus(status, message, identifier(error.asText(), CODE), fallbackId, null, retryAfter);
        }
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
        StackException refined = codes.map(mapped, details != null && details.isObject() ? details : null);
        return refined != null ? refined : mapped;
    }

    /**
     * Returns a bounded, single-line excerpt of a server message with anything credential-like replaced.
     *
     * @param message the server's message
     * @return the excerpt
     */
    public static String excerpt(String message) {
        boolean cut = message.length() > 4 * MAX_MESSAGE_EXCERPT;
        String s = cut ? message.substring(0, 4 * MAX_MESSAGE_EXCERPT) : message;
        s = INVISIBLE.matcher(s).replaceAll("");
        s = LINE_BREAKING.matcher(s).replaceAll(" ");
        if (cut) {
            // the cut may fall inside a credential: its kept prefix could be shorter than the redaction rule's
            // 32 characters and survive, so drop the run of token characters the cut ended in
            s = CUT_TOKEN_TAIL.matcher(s).replaceFirst("");
        }
        s = SECRET_LIKE.matcher(s).replaceAll("[redacted]");
        if (s.length() > MAX_MESSAGE_EXCERPT) {
            s = s.substring(0, MAX_MESSAGE_EXCERPT) + "...";
        }
        return s;
    }

    /**
     * Returns a server-supplied identifier (an error code, a reason, a request id) if it has the expected shape and
     * does not look like a credential (a JWT, a STACK key, a long base64 or hex run; a canonical UUID is allowed),
     * else null.
     *
     * @param value the server's value, or null
     * @param shape the expected shape, such as {@link #CODE} or {@link #REQUEST_ID}
     * @return the value, or null when absent, malformed or credential-like
     */
    public static @Nullable String identifier(@Nullable String value, Pattern shape) {
        if (value == null
                || value.length() > MAX_CODE_LENGTH * 2
                || !shape.matcher(value).matches()) {
            return null;
        }
        if (UUID.matcher(value).matches()) {
            return value;
        }
        return SECRET_LIKE.matcher(value).find() ? null : value;
    }

    /**
     * Tells whether a server-supplied identifier carries a STACK key ({@code sk_...}) or a JWT ({@code eyJ...}):
     * the credential check for identifiers whose form is opaque and may be long (a passport's {@code jti}, an agent
     * or session id), where the long-run rule of {@link #identifier(String, Pattern)} would refuse legitimate values.
     *
     * @param value the server's value
     * @return true when it holds something credential-like
     */
    public static boolean carriesKeyOrJwt(String value) {
        return KEY_OR_JWT.matcher(value).find();
    }

    private static final Pattern KEY_OR_JWT = Pattern.compile("sk_[A-Za-z0-9]|eyJ[A-Za-z0-9_-]+\\.");

    private static @Nullable String validOrNull(@Nullable JsonNode n, Pattern p) {
        return n != null && n.isTextual() ? identifier(n.asText(), p) : null;
    }

    /** What a link for a person may look like: an http(s) URL without spaces or controls, at most 2048 chars. */
    private static final Pattern APPROVAL_URL = Pattern.compile("https?://[\\x21-\\x7E]{1,2040}");

    /** What an approval id may look like. */
    private static final Pattern APPROVAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * The codes the transport types itself whatever their status (wire protocol §1.6, §14.6): governance approvals,
     * the controls feature, the wallet, rate limits. {@code INSUFFICIENT_CREDITS} (the skills' debit path) is the
     * skills capability's, whose type is a kind of {@link run.getstack.sdk.StackInsufficientBalanceException}.
     *
     * @return the table, for {@link ErrorCodes#builder()}
     */
    static Map<String, ErrorCodes.Factory> transportCodes() {
        ErrorCodes.Factory controls = (e, d) -> new run.getstack.sdk.StackControlsRequiredException(
                "the account's controls feature is off (" + e.errorCode() + "); the owner turns it on at Console →"
                        + " Billing. STACK said: " + e.detailMessage(),
                e.httpStatus(),
                e.errorCode(),
                e.requestId(),
                e.reason(),
                e.retryAfter().orElse(null));
        return Map.of(
                "GOVERNANCE_APPROVAL_REQUIRED",
                ErrorMapper::governanceApprovalRequired,
                "CONTROLS_REQUIRED",
                controls,
                "CONTROLS_NOT_ENABLED",
                controls,
                "INSUFFICIENT_BALANCE",
                (e, d) -> new run.getstack.sdk.StackInsufficientBalanceException(
                        "the account's wallet cannot pay for this call (" + e.errorCode()
                                + "); nothing was done. STACK said: " + e.detailMessage(),
                        e.httpStatus(),
                        e.errorCode(),
                        e.requestId(),
                        e.reason(),
                        e.retryAfter().orElse(null)),
                "RATE_LIMITED",
                (e, d) -> e.httpStatus() == 429
                        ? null
                        : new StackRateLimitedException(
                                e.detailMessage(),
                                e.httpStatus(),
                                e.errorCode(),
                                e.requestId(),
                                e.reason(),
                                e.retryAfter().orElse(null),
                                null));
    }

    private static StackException governanceApprovalRequired(StackApiException e, @Nullable JsonNode details) {
        String id = detail(details, "approval_id", APPROVAL_ID);
        String url = approvalLink(details == null ? null : details.get("approval_url"));
        String action = detail(details, "action", CODE);
        java.time.Instant expires = null;
        String at = detail(details, "expires_at", ISO_TIME);
        if (at != null) {
            try {
                expires = java.time.Instant.parse(at);
            } catch (java.time.format.DateTimeParseException x) {
                expires = null;
            }
        }
        return new run.getstack.sdk.StackGovernanceApprovalRequiredException(
                "a person must approve this change before STACK applies it"
                        + (action == null ? "" : " (" + action + ")") + ": approval "
                        + (id == null ? "(not named)" : id) + " at approvalUrl(); then send the same call"
                        + " again with GovernanceApproval.of(approvalId). STACK said: " + e.detailMessage(),
                e.httpStatus(),
                e.requestId(),
                id,
                url,
                action,
                expires,
                e.retryAfter().orElse(null));
    }

    /** An ISO-8601 instant: digits, letters, ':', '.', '-', '+'. */
    private static final Pattern ISO_TIME = Pattern.compile("[0-9A-Za-z:.+-]{1,40}");

    /**
     * Returns a server-supplied link for a person (an approval page) if it is safe to show: http(s), printable ASCII,
     * at most 2,048 characters, no user name or password, no STACK key or JWT anywhere in it. The one check for
     * every approval link the SDK passes on.
     *
     * @param n the JSON value, or null
     * @return the link, or null if it is absent or not acceptable
     */
    public static @Nullable String approvalLink(@Nullable JsonNode n) {
        if (n == null || !n.isTextual()) {
            return null;
        }
        String v = n.asText();
        if (!APPROVAL_URL.matcher(v).matches() || carriesKeyOrJwt(v)) {
            return null;
        }
        okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(v);
        if (url == null
                || !url.username().isEmpty()
                || !url.password().isEmpty()
                || !v.toLowerCase(java.util.Locale.ROOT).startsWith(url.scheme() + "://")) {
            return null;
        }
        return v;
    }

    private static @Nullable String detail(@Nullable JsonNode details, String field, Pattern shape) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        if (n == null || !n.isTextual()) {
            return null;
        }
        String v = n.asText();
        return shape.matcher(v).matches() && !carriesKeyOrJwt(v) ? v : null;
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
