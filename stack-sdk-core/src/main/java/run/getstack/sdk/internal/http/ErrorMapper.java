package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
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

    /**
     * The credentials STACK issues, each caught at any length by its prefix ({@code docs/wire-protocol.md} §1.2,
     * §1.4, §5.1): JWTs (passports, agent-signed JWTs, session JWTs, OAuth access JWTs: {@code eyJ...}, wherever they
     * start), API keys ({@code sk_live_...}, {@code sk_test_...} wherever they start; any {@code sk_...} word), lease
     * ids ({@code lse_...}, bearer-ish), the OAuth refresh and access tokens the fake issues ({@code srt_...}, {@code
     * sat_...}), and provider keys held as credential values ({@code sk-...}, such as {@code sk-proj-...}). A word
     * prefix counts where a token starts, so {@code risk_level} or {@code disk_full} are left alone; inside an id
     * (after {@code _} or {@code -}) only when what follows holds a digit, as an opaque token does, so {@code
     * agt_sat_uploader} is kept and {@code x_lse_4f0c} is not. A JWT counts anywhere once it has its dot, and cut
     * before it only where a token starts, so {@code agt_surveyJsonBot} is kept.
     */
    private static final Pattern PREFIXED_SECRET = Pattern.compile(
            "eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*)*" // a JWT with its dot, wherever it starts
                    + "|(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*" // one cut before its dot, where a token starts
                    + "|(?<![A-Za-z0-9])sk_(?:live|test)_[A-Za-z0-9_-]*" // an API key where a word starts
                    + "|sk_(?:live|test)_[A-Za-z0-9_-]{16,}" // and glued to other text when it is key-long
                    + "|(?<![A-Za-z0-9_-])(?:sk|lse|srt|sat)_[A-Za-z0-9_-]+"
                    + "|(?<=[_-])(?:sk|lse|srt|sat)_(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]+" // inside an id: opaque only
                    + "|(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]+"
                    + "|(?<=[_-])sk-(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]+");

    /** Fewest characters of an opaque run (base64, base64url, hex) that can be a credential without a prefix. */
    static final int MIN_OPAQUE_SECRET = 24;

    /**
     * A run of the characters opaque credentials are written in (base64, base64url, hex), long enough to be one: an
     * agent's private seed (43), a refresh token or credential value of unknown form. Judged by {@link
     * #opaqueSecret(String)}.
     */
    private static final Pattern OPAQUE_RUN = Pattern.compile("[A-Za-z0-9+/=_-]{" + MIN_OPAQUE_SECRET + ",}");

    /**
     * A STACK id of a prefix STACK or the fake issues ({@code docs/wire-protocol.md} §1.2: {@code agt_}, {@code
     * req_}, {@code pp_}, ...): an id, not a credential, whatever its length (up to the 128 characters of an id). Lease
     * ids ({@code lse_}) are not among them.
     */
    private static final Pattern STACK_ID = Pattern.compile("(?:agt|op|pp|ppt|pas|jti|ses|svc|svc_conn|scon|cred_ref"
            + "|aud|sev|clm|idp|idv|drp|dof|skl|sreq|mem|ech|ms|msn|req|ia|gvr|ctr|wtxn|ndst)_[A-Za-z0-9_-]{1,124}");

    /** A word or identifier in one case: {@code snake_case}, {@code SCREAMING_CASE}, {@code kebab-case}. */
    private static final Pattern ONE_CASE_WORD = Pattern.compile("[a-z_-]+|[A-Z_-]+");

    /** The run of credential characters (those of the credential checks) at the end of a cut message. */
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
            // the cut may fall inside a credential: its kept prefix could be shorter than the opaque-run rule's
            // minimum and survive, so drop the run of token characters the cut ended in
            s = CUT_TOKEN_TAIL.matcher(s).replaceFirst("");
        }
        s = PREFIXED_SECRET.matcher(s).replaceAll(REDACTED);
        s = OPAQUE_RUN
                .matcher(s)
                .replaceAll(m -> opaqueSecret(m.group()) ? REDACTED : Matcher.quoteReplacement(m.group()));
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
        return looksSecret(value) ? null : value;
    }

    private static final String REDACTED = "[redacted]";

    /**
     * Tells whether a server-supplied string holds something credential-like: one of STACK's credentials by its
     * prefix, or an opaque run judged by {@link #opaqueSecret(String)}.
     *
     * @param value the server's string
     * @return true when it holds something credential-like
     */
    static boolean looksSecret(String value) {
        if (PREFIXED_SECRET.matcher(value).find()) {
            return true;
        }
        Matcher m = OPAQUE_RUN.matcher(value);
        while (m.find()) {
            if (opaqueSecret(m.group())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Judges a run of at least {@value #MIN_OPAQUE_SECRET} base64/hex characters: a STACK id of a known prefix is not
     * a credential; a run with a digit is (random text of that length almost always has one); a run without one is
     * from 32 characters on, unless it is a word in one case ({@code DELEGATION_ACCOUNTABILITY_VIOLATION}).
     */
    private static boolean opaqueSecret(String run) {
        if (STACK_ID.matcher(run).matches()) {
            return false;
        }
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return run.length() >= 32 && !ONE_CASE_WORD.matcher(run).matches();
    }

    /**
     * Tells whether a server-supplied identifier carries one of STACK's credentials by its prefix (an API key {@code
     * sk_...}, a JWT {@code eyJ...}, a lease id {@code lse_...}, an OAuth token): the credential check for identifiers
     * whose form is opaque and may be long (a passport's {@code jti}, an agent or session id), where the opaque-run
     * rule of {@link #identifier(String, Pattern)} would refuse legitimate values.
     *
     * @param value the server's value
     * @return true when it holds something credential-like
     */
    public static boolean carriesKeyOrJwt(String value) {
        // past this length the check answers yes (fail closed) rather than search: a failed match of some of its
        // alternatives scans to the end of a run and the search restarts one character on, which grows with the
        // square of the length (seconds at 64 KiB); no id or reason STACK sends comes near it, an approval link
        // stays under it
        return value.length() > MAX_CHECKED_LENGTH
                || PREFIXED_SECRET.matcher(value).find();
    }

    /** The longest server value {@link #carriesKeyOrJwt(String)} searches; longer ones count as carrying one. */
    static final int MAX_CHECKED_LENGTH = 2048;

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
                Objects.requireNonNull(e.errorCode(), "code"), // the registry calls a code's factory for it only
                e.requestId(),
                e.reason(),
                e.retryAfter().orElse(null));
        // under 429 the status mapping is already this type
        ErrorCodes.Factory rateLimited = ErrorCodes.typed("", StackRateLimitedException::new);
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
                        Objects.requireNonNull(e.errorCode(), "code"),
                        e.requestId(),
                        e.reason(),
                        e.retryAfter().orElse(null)),
                "RATE_LIMITED",
                (e, d) -> e.httpStatus() == 429 ? null : rateLimited.create(e, d));
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
