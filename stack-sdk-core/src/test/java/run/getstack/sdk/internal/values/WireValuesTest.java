package run.getstack.sdk.internal.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import run.getstack.sdk.agent.AccountabilityMode;
import run.getstack.sdk.agent.AgentStatus;
import run.getstack.sdk.agent.CredentialAccess;
import run.getstack.sdk.agent.FlagAction;
import run.getstack.sdk.agent.KeyMode;
import run.getstack.sdk.security.Severity;

/** The six open-enum value classes share one rule (WireValues) and keep their public behaviour. */
class WireValuesTest {
    record Kind<T>(String field, Function<String, T> of, List<T> known, Predicate<T> isKnown) {}

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of(new Kind<>(
                        "accountability_mode",
                        AccountabilityMode::of,
                        AccountabilityMode.knownValues(),
                        AccountabilityMode::isKnown)),
                Arguments.of(new Kind<>(
                        "credential_access",
                        CredentialAccess::of,
                        CredentialAccess.knownValues(),
                        CredentialAccess::isKnown)),
                Arguments.of(new Kind<>(
                        "on_warning/on_critical", FlagAction::of, FlagAction.knownValues(), FlagAction::isKnown)),
                Arguments.of(new Kind<>("status", AgentStatus::of, AgentStatus.knownValues(), AgentStatus::isKnown)),
                Arguments.of(new Kind<>("key_mode", KeyMode::of, KeyMode.knownValues(), KeyMode::isKnown)),
                Arguments.of(new Kind<>("severity", Severity::of, Severity.knownValues(), Severity::isKnown)));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    <T> void knownStringsGiveTheConstantsOthersAnUnknownValueAndBadOnesAnErrorNamingTheField(Kind<T> k) {
        assertThat(k.known()).isNotEmpty();
        for (T constant : k.known()) {
            assertThat(k.of().apply(constant.toString())).isSameAs(constant);
            assertThat(k.isKnown().test(constant)).isTrue();
        }
        T future = k.of().apply("from_a_newer_stack");
        assertThat(k.isKnown().test(future)).isFalse();
        assertThat(future).hasToString("from_a_newer_stack").isEqualTo(k.of().apply("from_a_newer_stack"));
        assertThat(future.hashCode()).isEqualTo("from_a_newer_stack".hashCode());
        assertThat(k.known()).doesNotContain(future);
        for (String bad : List.of("", "Upper", "-leading", "a b", "x".repeat(65))) {
            assertThatThrownBy(() -> k.of().apply(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(k.field() + ": not a valid value (1 to 64 characters of [a-z0-9_.-])");
        }
        assertThat(k.isKnown().test(k.of().apply("x".repeat(64)))).isFalse();
        assertThatThrownBy(() -> k.of().apply(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage(k.field());
    }
}
