package run.getstack.sdk.control.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.control.ControlDenialReason;
import run.getstack.sdk.control.StackControlDeniedException;
import run.getstack.sdk.control.StackReviewRequiredException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;

/**
 * Internal, not for public use. Maps {@code CONTROL_DENIED} (docs/wire-protocol.md §15) to {@link
 * StackControlDeniedException}, and {@code review_required} with a usable control ref to {@link
 * StackReviewRequiredException} (without a hold: the proxy attaches one), for {@link ErrorCodes}.
 * The server's fields are validated: a ref or id must look like an identifier and carry no key or JWT, the approval
 * link must be an http(s) URL without user info, at most 2,048 characters.
 */
public final class ControlErrors {
    /** What a control ref or approval id may look like. */
    public static final Pattern REF = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private ControlErrors() {}

    /**
     * Returns the controls capability's error codes.
     *
     * @return code to exception factory
     */
    public static Map<String, ErrorCodes.Factory> codes() {
        return Map.of(StackControlDeniedException.CODE, ControlErrors::denied);
    }

    /** A {@code CONTROL_DENIED} 4xx; under any other status the status mapping stays (null). */
    private static @Nullable StackException denied(StackApiException e, @Nullable JsonNode details) {
        if (e.httpStatus() < 400 || e.httpStatus() > 499) {
            return null;
        }
        ControlDenialReason denial = ControlDenialReason.fromWire(e.reason());
        String ref = ref(details, "control_ref");
        if (denial == ControlDenialReason.REVIEW_REQUIRED && ref != null) {
            String url = approvalUrl(details);
            Instant deadline = instant(details, "expires_at");
            return new StackReviewRequiredException(
                    "held for the owner's review (control ref " + ref + "): a person must approve it"
                            + (url == null ? "" : " at " + ErrorMapper.excerpt(url))
                            + (deadline == null ? "" : " by " + deadline)
                            + ", then resend it once with hold().resume(): " + e.detailMessage(),
                    e.httpStatus(),
                    e.requestId(),
                    ref,
                    url,
                    ref(details, "approval_id"),
                    deadline,
                    null,
                    e);
        }
        return new StackControlDeniedException(
                "refused by a control policy (" + denial.wireName()
                        + (ref == null ? "" : ", control ref " + ref) + "): " + explain(denial) + " "
                        + e.detailMessage(),
                e.httpStatus(),
                e.requestId(),
                e.reason(),
                e.retryAfter().orElse(null),
                e);
    }

    private static String explain(ControlDenialReason r) {
        return switch (r) {
            case CONNECTION_NOT_LISTED -> "the policy does not list this connection;";
            case CONNECTION_DENIED -> "the policy denies this connection;";
            case RECIPIENTS_NOT_PINNED -> "the mission names no recipients, and the policy allows only those;";
            case RECIPIENT_NOT_ALLOWED -> "a recipient is not one the policy or mission allows;";
            case REVIEW_REJECTED -> "the owner rejected the held call;";
            case REVIEW_EXPIRED -> "the held call was not approved or resent in time;";
            case REVIEW_CONSUMED -> "the held call was already resent once;";
            case CONTROL_REF_MISMATCH -> "the resend differs from the held request;";
            case CONTROL_REF_UNKNOWN -> "no held call of this agent has that ref;";
            case REVIEW_SUPERSEDED -> "the held call was held again under a new control ref; resume that one;";
            case REVIEW_REQUIRED -> "held for review, but STACK sent no usable control ref;";
            case UNKNOWN -> "";
        };
    }

    private static @Nullable String ref(@Nullable JsonNode details, String field) {
        JsonNode n = details == null ? null : details.get(field);
        if (n == null || !n.isTextual()) {
            return null;
        }
        String v = n.asText();
        return REF.matcher(v).matches() && !ErrorMapper.carriesKeyOrJwt(v) ? v : null;
    }

    private static @Nullable String approvalUrl(@Nullable JsonNode details) {
        return ErrorMapper.approvalLink(details == null ? null : details.get("approval_url"));
    }

    private static @Nullable Instant instant(@Nullable JsonNode details, String field) {
        JsonNode n = details == null ? null : details.get(field);
        if (n == null || !n.isTextual() || n.asText().length() > 40) {
            return null;
        }
        try {
            return Instant.parse(n.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
