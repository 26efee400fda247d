package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 22: the codes of people in the loop, the controls feature and the wallet each have a type (§1.6, §14.6). */
class ApprovalErrorCodesTest extends TransportTestSupport {

    @Test
    void governanceApprovalRequiredCarriesTheApprovalIdAndLinkButKeepsTheLinkOutOfTheMessage() {
        server.enqueue(json(
                403,
                "{\"error\":{\"message\":\"approve first\",\"code\":\"GOVERNANCE_APPROVAL_REQUIRED\",\"details\":{"
                        + "\"approval_id\":\"gvr_abc123\",\"approval_url\":\"https://console.example/approvals/gvr_abc123\","
                        + "\"action\":\"agent.unblock\",\"expires_at\":\"2026-12-01T12:00:00.000Z\"}}}"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(StackGovernanceApprovalRequiredException.class, e -> {
                    assertThat(e).isInstanceOf(StackPermissionException.class);
                    assertThat(e.approvalId()).isEqualTo("gvr_abc123");
                    assertThat(e.approvalUrl()).isEqualTo("https://console.example/approvals/gvr_abc123");
                    assertThat(e.action()).isEqualTo("agent.unblock");
                    assertThat(e.expiresAt()).contains(Instant.parse("2026-12-01T12:00:00Z"));
                    assertThat(e.getMessage())
                            .contains("gvr_abc123")
                            .contains("GovernanceApproval.of")
                            .doesNotContain("console.example");
                });
    }

    @Test
    void aCredentialLikeOrMalformedApprovalFieldIsDroppedNotTrusted() {
        server.enqueue(json(
                403,
                "{\"error\":{\"message\":\"approve\",\"code\":\"GOVERNANCE_APPROVAL_REQUIRED\",\"details\":{"
                        + "\"approval_id\":\"sk_live_op_leakedkey\",\"approval_url\":\"javascript:alert(1)\","
                        + "\"expires_at\":\"soon\"}}}"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(StackGovernanceApprovalRequiredException.class, e -> {
                    assertThat(e.approvalId()).isNull();
                    assertThat(e.approvalUrl()).isNull();
                    assertThat(e.expiresAt()).isEmpty();
                    assertThat(e.getMessage()).doesNotContain("sk_live");
                });
    }

    @Test
    void anApprovalLinkWithAUserNameOrPasswordIsDroppedAsForReviewHolds() {
        server.enqueue(json(
                403,
                "{\"error\":{\"message\":\"approve\",\"code\":\"GOVERNANCE_APPROVAL_REQUIRED\",\"details\":{"
                        + "\"approval_id\":\"gvr_abc123\","
                        + "\"approval_url\":\"https://user:hunter2@console.example/approvals/gvr_abc123\"}}}"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(StackGovernanceApprovalRequiredException.class, e -> {
                    assertThat(e.approvalId()).isEqualTo("gvr_abc123");
                    assertThat(e.approvalUrl()).isNull();
                });
    }

    @ParameterizedTest(name = "{1} ({0}) -> {2}")
    @CsvSource({
        "402, CONTROLS_REQUIRED, StackControlsRequiredException",
        "403, CONTROLS_NOT_ENABLED, StackControlsRequiredException",
        "402, INSUFFICIENT_BALANCE, StackInsufficientBalanceException",
        "402, INSUFFICIENT_CREDITS, StackInsufficientCreditsException",
        "403, RATE_LIMITED, StackRateLimitedException",
        "402, SOMETHING_NEW, StackApiException",
        "403, SOMETHING_NEW, StackPermissionException",
    })
    void codesMapToTheirTypeWhateverTheStatusAndUnknownCodesByStatus(int status, String code, String type) {
        server.enqueue(error(status, code, "no"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(type))
                .isInstanceOfSatisfying(StackApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(code);
                });
    }

    @Test
    void aSkillsMissingCreditsIsCaughtAsAnyWalletRefusal() {
        server.enqueue(error(402, "INSUFFICIENT_CREDITS", "no"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(run.getstack.sdk.skill.StackInsufficientCreditsException.class)
                .isInstanceOf(StackInsufficientBalanceException.class);
    }

    @Test
    void theControlsMessageSaysWhereTheOwnerTurnsThemOn() {
        server.enqueue(error(402, "CONTROLS_REQUIRED", "controls are off"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackControlsRequiredException.class)
                .hasMessageContaining("Console")
                .hasMessageContaining("Billing");
    }
}
