package run.getstack.sdk.testkit.assertj;

import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.AuditLog;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.RequestJournal;
import run.getstack.sdk.testkit.SecurityEvent;

/**
 * AssertJ entry points for the fake's observable state. Failure messages name the object and show what was there.
 *
 * <pre>{@code
 * StackAssertions.assertThat(fake.auditLog()).hasEntry("passport.issue").hasValidChain();
 * StackAssertions.assertThat(fake).hasAlert("credential_burst", "blocked");
 * StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", "/v1/passports/issue", 3);
 * }</pre>
 */
public final class StackAssertions {
    private StackAssertions() {}

    /**
     * Assertions on an audit log.
     *
     * @param actual the log
     * @return the assert
     */
    public static AuditLogAssert assertThat(AuditLog actual) {
        return new AuditLogAssert(actual);
    }

    /**
     * Assertions on a fake's security events and agents.
     *
     * @param actual the fake
     * @return the assert
     */
    public static FakeAssert assertThat(FakeControlPlane actual) {
        return new FakeAssert(actual);
    }

    /**
     * Assertions on a request journal.
     *
     * @param actual the journal
     * @return the assert
     */
    public static JournalAssert assertThat(RequestJournal actual) {
        return new JournalAssert(actual);
    }

    /**
     * Assertions on a chain verification result.
     *
     * @param actual the result
     * @return the assert
     */
    public static ChainAssert assertThat(ChainVerification actual) {
        return new ChainAssert(actual);
    }

    /** Assertions on an {@link AuditLog}. */
    public static final class AuditLogAssert extends AbstractAssert<AuditLogAssert, AuditLog> {
        AuditLogAssert(AuditLog actual) {
            super(actual, AuditLogAssert.class);
        }

        /**
         * Passes if some entry has the action.
         *
         * @param action e.g. {@code credential.lease}
         * @return this
         */
        public AuditLogAssert hasEntry(String action) {
            isNotNull();
            if (actual.withAction(action).isEmpty()) {
                failWithMessage(
                        "Expected audit log to have an entry with action <%s> but its actions were %s",
                        action, actual.actions());
            }
            return this;
        }

        /**
         * Passes if some entry has the action and outcome.
         *
         * @param action action
         * @param outcome {@code success}, {@code failure}, {@code pending}, {@code blocked}
         * @return this
         */
        public AuditLogAssert hasEntry(String action, String outcome) {
            isNotNull();
            if (actual.withAction(action).stream().noneMatch(e -> e.outcome().equals(outcome))) {
                failWithMessage(
                        "Expected audit log to have an entry <%s> with outcome <%s> but found outcomes %s",
                        action,
                        outcome,
                        actual.withAction(action).stream()
                                .map(AuditEntry::outcome)
                                .toList());
            }
            return this;
        }

        /**
         * Passes if some entry has the action and names the passport.
         *
         * @param action action
         * @param jti passport jti
         * @return this
         */
        public AuditLogAssert hasEntryForPassport(String action, String jti) {
            isNotNull();
            if (actual.withAction(action).stream().noneMatch(e -> jti.equals(e.passportJti()))) {
                failWithMessage(
                        "Expected audit log to have an entry <%s> for passport <%s> but found passports %s",
                        action,
                        jti,
                        actual.withAction(action).stream()
                                .map(AuditEntry::passportJti)
                                .toList());
            }
            return this;
        }

        /**
         * Passes if exactly {@code n} entries have the action.
         *
         * @param action action
         * @param n expected count
         * @return this
         */
        public AuditLogAssert hasEntryCount(String action, int n) {
            isNotNull();
            int found = actual.withAction(action).size();
            if (found != n) {
                failWithMessage(
                        "Expected audit log to have %s entries with action <%s> but had %s; actions: %s",
                        n, action, found, actual.actions());
            }
            return this;
        }

        /**
         * Passes if no entry has the action.
         *
         * @param action action
         * @return this
         */
        public AuditLogAssert hasNoEntry(String action) {
            return hasEntryCount(action, 0);
        }

        /**
         * Passes if the chain verifies.
         *
         * @return this
         */
        public AuditLogAssert hasValidChain() {
            isNotNull();
            ChainVerification v = actual.verifyChain();
            if (!v.valid()) {
                failWithMessage(
                        "Expected audit chain to be valid but entry <%s> failed with <%s>",
                        v.firstBadEntryId(), v.reason());
            }
            return this;
        }
    }

    /** Assertions on a {@link FakeControlPlane}'s alerts and agents. */
    public static final class FakeAssert extends AbstractAssert<FakeAssert, FakeControlPlane> {
        FakeAssert(FakeControlPlane actual) {
            super(actual, FakeAssert.class);
        }

        private List<SecurityEvent> events(String signalType) {
            return actual.securityEvents().stream()
                    .filter(e -> e.signalType().equals(signalType))
                    .toList();
        }

        private List<String> signals() {
            return actual.securityEvents().stream()
                    .map(e -> e.signalType() + "/" + e.action())
                    .toList();
        }

        /**
         * Passes if an alert of the signal type was raised.
         *
         * @param signalType e.g. {@code credential_burst}
         * @return this
         */
        public FakeAssert hasAlert(String signalType) {
            isNotNull();
            if (events(signalType).isEmpty()) {
                failWithMessage(
                        "Expected %s to have raised a <%s> alert but its alerts were %s",
                        actual, signalType, signals());
            }
            return this;
        }

        /**
         * Passes if an alert of the signal type was raised with the action.
         *
         * @param signalType signal
         * @param action {@code notified} or {@code blocked}
         * @return this
         */
        public FakeAssert hasAlert(String signalType, String action) {
            isNotNull();
            if (events(signalType).stream().noneMatch(e -> e.action().equals(action))) {
                failWithMessage(
                        "Expected %s to have raised a <%s> alert with action <%s> but its alerts were %s",
                        actual, signalType, action, signals());
            }
            return this;
        }

        /**
         * Passes if no alert of the signal type was raised.
         *
         * @param signalType signal
         * @return this
         */
        public FakeAssert hasNoAlert(String signalType) {
            isNotNull();
            if (!events(signalType).isEmpty()) {
                failWithMessage(
                        "Expected %s to have raised no <%s> alert but its alerts were %s",
                        actual, signalType, signals());
            }
            return this;
        }

        /**
         * Passes if no alert at all was raised.
         *
         * @return this
         */
        public FakeAssert hasNoAlerts() {
            isNotNull();
            if (!actual.securityEvents().isEmpty()) {
                failWithMessage("Expected %s to have raised no alerts but its alerts were %s", actual, signals());
            }
            return this;
        }

        /**
         * Passes if the agent is blocked from receiving passports.
         *
         * @param agentId agent
         * @return this
         */
        public FakeAssert hasPassportBlockedAgent(String agentId) {
            isNotNull();
            if (!actual.isPassportBlocked(Objects.requireNonNull(agentId))) {
                failWithMessage("Expected agent <%s> to be passport-blocked in %s but it was not", agentId, actual);
            }
            return this;
        }

        /**
         * Passes if the passport is revoked.
         *
         * @param jti passport
         * @return this
         */
        public FakeAssert hasRevokedPassport(String jti) {
            isNotNull();
            if (!actual.isRevoked(jti)) {
                failWithMessage("Expected passport <%s> to be revoked in %s but it was not", jti, actual);
            }
            return this;
        }
    }

    /** Assertions on a {@link RequestJournal}. */
    public static final class JournalAssert extends AbstractAssert<JournalAssert, RequestJournal> {
        JournalAssert(RequestJournal actual) {
            super(actual, JournalAssert.class);
        }

        /**
         * Passes if at least one request matched.
         *
         * @param method method or {@code *}
         * @param pathPattern pattern
         * @return this
         */
        public JournalAssert hasRequest(String method, String pathPattern) {
            isNotNull();
            if (actual.count(method, pathPattern) == 0) {
                failWithMessage(
                        "Expected request journal to have a <%s %s> request but it had %s",
                        method, pathPattern, actual.entries());
            }
            return this;
        }

        /**
         * Passes if exactly {@code n} requests matched.
         *
         * @param method method or {@code *}
         * @param pathPattern pattern
         * @param n count
         * @return this
         */
        public JournalAssert hasRequestCount(String method, String pathPattern, int n) {
            isNotNull();
            int c = actual.count(method, pathPattern);
            if (c != n) {
                failWithMessage(
                        "Expected request journal to have %s <%s %s> requests but it had %s: %s",
                        n, method, pathPattern, c, actual.entries(method, pathPattern));
            }
            return this;
        }
    }

    /** Assertions on a {@link ChainVerification}. */
    public static final class ChainAssert extends AbstractAssert<ChainAssert, ChainVerification> {
        ChainAssert(ChainVerification actual) {
            super(actual, ChainAssert.class);
        }

        /**
         * Passes if valid.
         *
         * @return this
         */
        public ChainAssert isValid() {
            isNotNull();
            if (!actual.valid()) {
                failWithMessage(
                        "Expected audit chain to be valid but entry <%s> failed with <%s>",
                        actual.firstBadEntryId(), actual.reason());
            }
            return this;
        }

        /**
         * Passes if broken at the given entry.
         *
         * @param entryId the first bad entry expected
         * @return this
         */
        public ChainAssert isBrokenAt(String entryId) {
            isNotNull();
            if (actual.valid() || !entryId.equals(actual.firstBadEntryId())) {
                failWithMessage("Expected audit chain to be broken at <%s> but was %s", entryId, actual);
            }
            return this;
        }
    }
}
