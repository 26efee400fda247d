package run.getstack.sdk.mission;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.mission.internal.MissionCodec;
import run.getstack.sdk.passport.PassportReport;

/**
 * A mission's accountability report ({@code docs/wire-protocol.md} §10.4.7): the mission, the report of every
 * passport bound to it and of their delegated children, and every audit entry under those passports in chain order.
 * The SDK has checked each entry's hash (§8.2), their order, that each names one of these passports, and that the
 * control plane found the operator's chain intact. Printable with {@link #toText()} and {@link #toJson()}.
 *
 * @param mission the mission
 * @param passports the passport reports, by issue time (delegated children included)
 * @param audit the audit entries, in chain order
 * @param chainEntriesChecked how many entries of the operator's chain the control plane checked
 */
public record MissionReport(
        MissionInfo mission, List<PassportReport> passports, List<AuditRecord> audit, long chainEntriesChecked) {

    /**
     * One audit entry (no secret: STACK's audit never holds one).
     *
     * @param entryId {@code aud_...}
     * @param timestamp when it was appended
     * @param agentId the agent, if any
     * @param passportJti the passport
     * @param layer {@code vault}, {@code proxy}, {@code system}, ...
     * @param action the dotted action
     * @param outcome {@code success}, {@code failure}, {@code pending} or {@code blocked}
     * @param entryHash its hash in the chain (64 hex)
     */
    public record AuditRecord(
            String entryId,
            Instant timestamp,
            @Nullable String agentId,
            String passportJti,
            String layer,
            String action,
            String outcome,
            String entryHash) {
        /**
         * Checks the components.
         *
         * @param entryId {@code aud_...}
         * @param timestamp when it was appended
         * @param agentId the agent, if any
         * @param passportJti the passport
         * @param layer the layer
         * @param action the dotted action
         * @param outcome the outcome
         * @param entryHash its hash in the chain
         */
        public AuditRecord {
            Objects.requireNonNull(entryId, "entryId");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(passportJti, "passportJti");
            Objects.requireNonNull(layer, "layer");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(entryHash, "entryHash");
        }
    }

    /**
     * Checks and copies the components.
     *
     * @param mission the mission
     * @param passports the passport reports
     * @param audit the audit entries, in chain order
     * @param chainEntriesChecked how many chain entries the control plane checked
     */
    public MissionReport {
        Objects.requireNonNull(mission, "mission");
        passports = List.copyOf(passports);
        audit = List.copyOf(audit);
    }

    /**
     * Returns the report as indented text.
     *
     * @return the text
     */
    public String toText() {
        return MissionCodec.reportText(this);
    }

    /**
     * Returns the report as JSON (the wire's field names).
     *
     * @return compact JSON
     */
    public String toJson() {
        return MissionCodec.reportJson(this);
    }
}
