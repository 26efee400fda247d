package run.getstack.sdk.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.control.ControlDenialReason;
import run.getstack.sdk.control.StackControlDeniedException;
import run.getstack.sdk.control.StackReviewRequiredException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;

/** {@code CONTROL_DENIED} mapping and the validation of what the server sends with it. */
class ControlErrorsTest {
    private static StackException map(int status, String code, String details) {
        String body = "{\"error\":{\"message\":\"m\",\"code\":\"" + code + "\",\"details\":" + details + "}}";
        return ErrorMapper.map(
                status,
                body.getBytes(StandardCharsets.UTF_8),
                null,
                "req_sent",
                null,
                ErrorCodes.builder().codes("controls", ControlErrors.codes()).build());
    }

    private static String review(String ref, String url) {
        return "{\"reason\":\"review_required\",\"control_ref\":\"" + ref + "\",\"approval_url\":\"" + url
                + "\",\"approval_id\":\"gvr_1\",\"expires_at\":\"2026-01-01T01:00:00.000Z\"}";
    }

    @Test
    void reviewRequiredWithAUsableRefIsAReviewRequiredExceptionWithoutAHoldOfItsOwn() {
        StackException e = map(403, "CONTROL_DENIED", review("ctr_abc", "https://getstack.run/approvals/gvr_1"));
        assertThat(e).isInstanceOfSatisfying(StackReviewRequiredException.class, r -> {
            assertThat(r.controlRef()).isEqualTo("ctr_abc");
            assertThat(r.approvalUrl()).hasValue("https://getstack.run/approvals/gvr_1");
            assertThat(r.approvalId()).hasValue("gvr_1");
            assertThat(r.deadline())
                    .hasValueSatisfying(d -> assertThat(d.toString()).startsWith("2026-01-01T01:00"));
            assertThat(r.isResumable()).isFalse();
            assertThat(r.requestId()).isEqualTo("req_sent");
        });
    }

    @Test
    void aCredentialLikeOrMalformedRefIsNotResumable() {
        StackException jwt = map(403, "CONTROL_DENIED", review("eyJhbGciOi.eyJzdWIi", "https://a/b"));
        assertThat(jwt).isExactlyInstanceOf(StackControlDeniedException.class);
        assertThat(((StackControlDeniedException) jwt).denial()).isEqualTo(ControlDenialReason.REVIEW_REQUIRED);
        assertThat(jwt.getMessage()).doesNotContain("eyJ");
        StackException key = map(403, "CONTROL_DENIED", review("sk_live_abc", "https://a/b"));
        assertThat(key).isExactlyInstanceOf(StackControlDeniedException.class);
        StackException spaces = map(403, "CONTROL_DENIED", review("ctr x", "https://a/b"));
        assertThat(spaces).isExactlyInstanceOf(StackControlDeniedException.class);
    }

    @Test
    void anApprovalLinkThatIsNotAPlainHttpUrlIsDropped() {
        for (String url : new String[] {
            "javascript:alert(1)", "https://user:pw@evil.example/x", "ftp://x/y", "https://a/b\\u000a c", " https://a/b"
        }) {
            StackReviewRequiredException r =
                    (StackReviewRequiredException) map(403, "CONTROL_DENIED", review("ctr_1", url));
            assertThat(r.approvalUrl()).as(url).isEmpty();
        }
    }

    @Test
    void everyOtherReasonIsTypedAndAnUnknownReasonStillADenial() {
        for (ControlDenialReason reason : ControlDenialReason.values()) {
            if (reason == ControlDenialReason.REVIEW_REQUIRED || reason == ControlDenialReason.UNKNOWN) {
                continue;
            }
            StackException e = map(403, "CONTROL_DENIED", "{\"reason\":\"" + reason.wireName() + "\"}");
            assertThat(e).isExactlyInstanceOf(StackControlDeniedException.class);
            assertThat(((StackControlDeniedException) e).denial()).isEqualTo(reason);
            assertThat(((StackControlDeniedException) e).reason()).isEqualTo(reason.wireName());
        }
        StackException odd = map(403, "CONTROL_DENIED", "{\"reason\":\"budget_window\"}");
        assertThat(((StackControlDeniedException) odd).denial()).isEqualTo(ControlDenialReason.UNKNOWN);
        StackException none = map(403, "CONTROL_DENIED", "null");
        assertThat(((StackControlDeniedException) none).denial()).isEqualTo(ControlDenialReason.UNKNOWN);
    }

    @Test
    void anUnknownCodeStillMapsByStatusClass() {
        assertThat(map(403, "SOMETHING_NEW", "{}"))
                .isExactlyInstanceOf(StackPermissionException.class)
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo("SOMETHING_NEW"));
        assertThat(map(409, "SOMETHING_NEW", "{}")).isExactlyInstanceOf(StackConflictException.class);
        assertThat(map(402, "SOMETHING_NEW", "{}")).isExactlyInstanceOf(StackApiException.class);
        // CONTROL_DENIED on a 5xx is not a policy decision: mapped by status
        assertThat(map(500, "CONTROL_DENIED", "{}")).isNotInstanceOf(StackControlDeniedException.class);
    }
}
