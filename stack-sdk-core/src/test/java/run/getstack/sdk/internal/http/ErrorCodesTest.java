package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInsufficientBalanceException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;

/** The one registry of typed error codes: a code has one owner, and lookup does not depend on registration order. */
class ErrorCodesTest {
    private static final ErrorCodes.Factory CONFLICT = (e, d) -> new StackConflictException(
            "typed " + e.detailMessage(), e.httpStatus(), e.errorCode(), e.requestId(), e.reason(), null, null);
    private static final ErrorCodes.Factory NOT_FOUND = (e, d) -> new StackNotFoundException(
            "other " + e.detailMessage(), e.httpStatus(), e.errorCode(), e.requestId(), e.reason(), null, null);

    private static StackException map(ErrorCodes codes, int status, String code, String details) {
        String body = "{\"error\":{\"message\":\"m\",\"code\":\"" + code + "\",\"details\":" + details + "}}";
        return ErrorMapper.map(status, body.getBytes(StandardCharsets.UTF_8), null, "req_1", null, codes);
    }

    @Test
    void aCodeRegisteredByTwoCapabilitiesFailsAtConstructionNamingBoth() {
        ErrorCodes.Builder b = ErrorCodes.builder().codes("skills", Map.of("SOME_CODE", CONFLICT));

        assertThatThrownBy(() -> b.codes("wallet", Map.of("SOME_CODE", NOT_FOUND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SOME_CODE")
                .hasMessageContaining("skills")
                .hasMessageContaining("wallet");
    }

    @Test
    void aCapabilityCannotTakeOverACodeTheTransportTypesItself() {
        assertThatThrownBy(() -> ErrorCodes.builder().codes("skills", Map.of("INSUFFICIENT_BALANCE", CONFLICT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INSUFFICIENT_BALANCE")
                .hasMessageContaining(ErrorMapper.TRANSPORT);
        assertThat(ErrorCodes.transportOnly().codes())
                .containsExactlyInAnyOrder(
                        "GOVERNANCE_APPROVAL_REQUIRED",
                        "CONTROLS_REQUIRED",
                        "CONTROLS_NOT_ENABLED",
                        "INSUFFICIENT_BALANCE",
                        "RATE_LIMITED");
    }

    @Test
    void overlappingReasonPrefixesFailAtConstructionEitherWayRound() {
        assertThatThrownBy(() -> ErrorCodes.builder()
                        .reasonPrefixes("intents", Map.of("intent_", CONFLICT))
                        .reasonPrefixes("other", Map.of("intent_approval_", NOT_FOUND)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intent_approval_")
                .hasMessageContaining("intents");
        assertThatThrownBy(() -> ErrorCodes.builder()
                        .reasonPrefixes("intents", Map.of("intent_approval_", CONFLICT))
                        .reasonPrefixes("other", Map.of("intent_", NOT_FOUND)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorCodes.builder().reasonPrefixes("x", Map.of("", CONFLICT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
        ErrorCodes apart = ErrorCodes.builder()
                .reasonPrefixes("a", Map.of("alpha_", CONFLICT))
                .reasonPrefixes("b", Map.of("beta_", NOT_FOUND))
                .build();
        assertThat(apart.reasonPrefixes()).containsExactlyInAnyOrder("alpha_", "beta_");
    }

    @Test
    void aCodeThatIsNotACodeIsRefused() {
        assertThatThrownBy(() -> ErrorCodes.builder().codes("x", Map.of("NOT A CODE", CONFLICT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT A CODE");
    }

    @Test
    void theOrderOfRegistrationDoesNotChangeTheMapping() {
        ErrorCodes one = ErrorCodes.builder()
                .codes("a", Map.of("A_CODE", CONFLICT))
                .codes("b", Map.of("B_CODE", NOT_FOUND))
                .build();
        ErrorCodes other = ErrorCodes.builder()
                .codes("b", Map.of("B_CODE", NOT_FOUND))
                .codes("a", Map.of("A_CODE", CONFLICT))
                .build();
        for (ErrorCodes codes : new ErrorCodes[] {one, other}) {
            assertThat(map(codes, 400, "A_CODE", "null")).isExactlyInstanceOf(StackConflictException.class);
            assertThat(map(codes, 400, "B_CODE", "null")).isExactlyInstanceOf(StackNotFoundException.class);
            assertThat(codes.owner("A_CODE")).isEqualTo("a");
            assertThat(codes.owner("B_CODE")).isEqualTo("b");
            assertThat(codes.owner("C_CODE")).isNull();
        }
    }

    @Test
    void anUnregisteredCodeOrAFactoryThatDeclinesKeepsTheStatusMapping() {
        ErrorCodes codes = ErrorCodes.builder()
                .codes("a", Map.of("DECLINES", (e, d) -> null))
                .build();

        StackException unknown = map(codes, 403, "WHATEVER", "null");
        assertThat(unknown).isExactlyInstanceOf(StackPermissionException.class);
        assertThat(((StackApiException) unknown).errorCode()).isEqualTo("WHATEVER");
        assertThat(map(codes, 403, "DECLINES", "null")).isExactlyInstanceOf(StackPermissionException.class);
    }

    @Test
    void aMatchingReasonPrefixComesFirstAndTheCodeAnswersWhenItsFactoryDeclines() {
        ErrorCodes codes = ErrorCodes.builder()
                .codes("a", Map.of("A_CODE", CONFLICT))
                .reasonPrefixes("r", Map.of("why_", (e, d) -> e.httpStatus() == 403 ? NOT_FOUND.create(e, d) : null))
                .build();

        assertThat(map(codes, 403, "A_CODE", "{\"reason\":\"why_not\"}"))
                .isExactlyInstanceOf(StackNotFoundException.class);
        assertThat(map(codes, 400, "A_CODE", "{\"reason\":\"why_not\"}"))
                .isExactlyInstanceOf(StackConflictException.class);
        assertThat(map(codes, 403, "A_CODE", "{\"reason\":\"other\"}"))
                .isExactlyInstanceOf(StackConflictException.class);
        assertThat(codes.toString()).contains("r: reason why_*").contains("a: A_CODE");
        assertThat(map(codes, 403, "FORBIDDEN", "{\"reason\":\"why_not\"}"))
                .isExactlyInstanceOf(StackNotFoundException.class)
                .hasMessageContaining("other m");
    }

    @Test
    void theTransportsOwnCodesAreTypedWithoutAnyCapability() {
        assertThat(map(ErrorCodes.transportOnly(), 402, "INSUFFICIENT_BALANCE", "null"))
                .isExactlyInstanceOf(StackInsufficientBalanceException.class);
        assertThat(ErrorCodes.transportOnly().toString()).contains("transport: RATE_LIMITED");
    }
}
