package run.getstack.sdk.intent;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What STACK's dry run of an intent found (the simulation result of {@code stack_submit_intent}).
 *
 * @param verdict the outcome as STACK names it (the fake: {@code allow} or {@code deny}), or null if not sent
 * @param findings what the simulation flagged, such as {@code target_not_in_passport}
 */
public record IntentSimulation(@Nullable String verdict, List<String> findings) {
    /**
     * Copies the findings.
     *
     * @param verdict see the record's {@code verdict}
     * @param findings see the record's {@code findings}
     */
    public IntentSimulation {
        findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
    }
}
