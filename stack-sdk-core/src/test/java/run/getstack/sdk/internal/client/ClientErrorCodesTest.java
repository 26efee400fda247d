package run.getstack.sdk.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * The client's registry: every capability's codes still map to the types they mapped to when each capability had a
 * mapper of its own, chained by hand; and each code has exactly one owner.
 */
class ClientErrorCodesTest {
    private static final ErrorCodes CODES =
            ClientErrorCodes.of(new PassportGuard(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)));

    private static StackException map(int status, String code, String reason) {
        String details = reason.isEmpty() ? "{}" : "{\"reason\":\"" + reason + "\"}";
        String body = "{\"error\":{\"message\":\"m\",\"code\":\"" + code + "\",\"details\":" + details + "}}";
        return ErrorMapper.map(status, body.getBytes(StandardCharsets.UTF_8), null, "req_1", null, CODES);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource({
        "401, PASSPORT_REVOKED, '', run.getstack.sdk.passport.StackPassportRevokedException, passports",
        "401, PASSPORT_EXPIRED, '', run.getstack.sdk.passport.StackPassportExpiredException, passports",
        "403, PASSPORT_CHECKED_OUT, '', run.getstack.sdk.passport.StackPassportCheckedOutException, passports",
        "403, PASSPORT_BLOCKED, '', run.getstack.sdk.passport.StackPassportBlockedException, passports",
        "409, MISSION_PAUSED, '', run.getstack.sdk.mission.StackMissionPausedException, missions",
        "409, MISSION_NOT_PAUSED, '', run.getstack.sdk.mission.StackMissionNotPausedException, missions",
        "400, MISSION_REQUIRED, '', run.getstack.sdk.StackInvalidRequestException, missions",
        "403, CONTROL_DENIED, connection_denied, run.getstack.sdk.control.StackControlDeniedException, controls",
        "403, UNAUTHORIZED_SKILL_ACCESS, '', run.getstack.sdk.skill.StackSkillAccessException, skills",
        "403, TRUST_LEVEL_INSUFFICIENT, '', run.getstack.sdk.skill.StackTrustLevelException, skills",
        "402, INSUFFICIENT_CREDITS, '', run.getstack.sdk.skill.StackInsufficientCreditsException, skills",
        "409, DROPOFF_ALREADY_COLLECTED, '', run.getstack.sdk.dropoff.StackDropoffAlreadyCollectedException, dropoffs",
        "410, DROPOFF_EXPIRED, '', run.getstack.sdk.dropoff.StackDropoffExpiredException, dropoffs",
        "400, SCHEMA_VALIDATION_FAILED, '', run.getstack.sdk.dropoff.StackDropoffSchemaException, dropoffs",
        "403, GOVERNANCE_APPROVAL_REQUIRED, '', run.getstack.sdk.StackGovernanceApprovalRequiredException, transport",
        "402, CONTROLS_REQUIRED, '', run.getstack.sdk.StackControlsRequiredException, transport",
        "403, CONTROLS_NOT_ENABLED, '', run.getstack.sdk.StackControlsRequiredException, transport",
        "402, INSUFFICIENT_BALANCE, '', run.getstack.sdk.StackInsufficientBalanceException, transport",
        "503, RATE_LIMITED, '', run.getstack.sdk.StackRateLimitedException, transport",
    })
    void eachCapabilitysCodeMapsToItsTypeAndHasOneOwner(
            int status, String code, String reason, String type, String owner) throws Exception {
        StackException e = map(status, code, reason);

        assertThat(e).isExactlyInstanceOf(Class.forName(type));
        assertThat(((StackApiException) e).errorCode()).isEqualTo(code);
        assertThat(((StackApiException) e).httpStatus()).isEqualTo(status);
        assertThat(CODES.owner(code)).isEqualTo(owner);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "intent_approval_required",
        "intent_approval_pending",
        "intent_approval_mismatch",
        "intent_approval_expired"
    })
    void anIntentRefusalIsTypedByItsReasonWhateverTheCode(String reason) {
        assertThat(map(403, "FORBIDDEN", reason))
                .isExactlyInstanceOf(run.getstack.sdk.intent.StackIntentApprovalRequiredException.class);
        assertThat(map(403, "PASSPORT_BLOCKED", reason))
                .isExactlyInstanceOf(run.getstack.sdk.intent.StackIntentApprovalRequiredException.class);
    }

    @Test
    void statusesOutsideACodesRangeKeepTheStatusMapping() {
        assertThat(map(400, "FORBIDDEN", "intent_approval_required"))
                .isExactlyInstanceOf(run.getstack.sdk.StackInvalidRequestException.class);
        assertThat(map(500, "CONTROL_DENIED", "connection_denied"))
                .isExactlyInstanceOf(run.getstack.sdk.StackServerException.class);
        assertThat(map(429, "RATE_LIMITED", "")).isExactlyInstanceOf(run.getstack.sdk.StackRateLimitedException.class);
    }

    @Test
    void theRegistryHoldsExactlyTheCodesOfTheCapabilities() {
        assertThat(CODES.codes())
                .containsExactlyInAnyOrder(
                        "PASSPORT_REVOKED",
                        "PASSPORT_EXPIRED",
                        "PASSPORT_CHECKED_OUT",
                        "PASSPORT_BLOCKED",
                        "MISSION_PAUSED",
                        "MISSION_NOT_PAUSED",
                        "MISSION_REQUIRED",
                        "CONTROL_DENIED",
                        "UNAUTHORIZED_SKILL_ACCESS",
                        "TRUST_LEVEL_INSUFFICIENT",
                        "INSUFFICIENT_CREDITS",
                        "DROPOFF_ALREADY_COLLECTED",
                        "DROPOFF_EXPIRED",
                        "SCHEMA_VALIDATION_FAILED",
                        "GOVERNANCE_APPROVAL_REQUIRED",
                        "CONTROLS_REQUIRED",
                        "CONTROLS_NOT_ENABLED",
                        "INSUFFICIENT_BALANCE",
                        "RATE_LIMITED");
        assertThat(CODES.reasonPrefixes()).containsExactly("intent_approval_");
    }
}
