package run.getstack.sdk.testkit;

import java.util.List;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * A view of the fake's append-only, hash-chained audit log (one chain per operator; the no-argument methods use
 * the default operator). Entries are hashed exactly per STACK's documented preimage.
 */
public final class AuditLog {
    private final Engine engine;
    private final String defaultOperatorId;

    AuditLog(Engine engine, String defaultOperatorId) {
        this.engine = engine;
        this.defaultOperatorId = defaultOperatorId;
    }

    /**
     * How many rows one page of {@code GET /v1/audit/export} holds, for every operator; default 50,000 (STACK's
     * per-response maximum), restored by {@link FakeControlPlane#reset()}. A small page lets a test cross many pages.
     *
     * @param rows 1 to 50,000
     * @throws IllegalArgumentException outside that range
     */
    public void exportPageSize(int rows) {
        engine.auditExportPageSize(rows);
    }

    /**
     * The default operator's entries in append order.
     *
     * @return a snapshot
     */
    public List<AuditEntry> entries() {
        return engine.auditEntries(defaultOperatorId);
    }

    /**
     * An operator's entries in append order.
     *
     * @param operatorId operator
     * @return a snapshot
     */
    public List<AuditEntry> entries(String operatorId) {
        return engine.auditEntries(operatorId);
    }

    /**
     * The default operator's entries with an action.
     *
     * @param action e.g. {@code passport.issue}
     * @return the entries
     */
    public List<AuditEntry> withAction(String action) {
        return entries().stream().filter(e -> e.action().equals(action)).toList();
    }

    /**
     * The actions of the default operator's entries, in order.
     *
     * @return action names
     */
    public List<String> actions() {
        return entries().stream().map(AuditEntry::action).toList();
    }

    /**
     * Walks the default operator's chain.
     *
     * @return the result, naming the first bad entry
     */
    public ChainVerification verifyChain() {
        return engine.verifyChain(defaultOperatorId);
    }

    /**
     * Walks an operator's chain.
     *
     * @param operatorId operator
     * @return the result
     */
    public ChainVerification verifyChain(String operatorId) {
        return engine.verifyChain(operatorId);
    }

    /**
     * Test hook to tamper with the default operator's stored chain (bypassing the hash chain).
     *
     * @return the tamper handle
     */
    public Tamper tamperForTest() {
        return new Tamper(defaultOperatorId);
    }

    /** Edits, removes or reorders stored entries without fixing any hash, to prove detection. */
    public final class Tamper {
        private final String operatorId;

        private Tamper(String operatorId) {
            this.operatorId = operatorId;
        }

        /**
         * Changes the action of the entry at an index.
         *
         * @param index position in append order
         * @param newAction the forged action
         */
        public void editAction(int index, String newAction) {
            AuditEntry e = entries(operatorId).get(index);
            engine.tamperReplace(operatorId, index, e.withAction(newAction));
        }

        /**
         * Changes the outcome of the entry at an index.
         *
         * @param index position
         * @param newOutcome the forged outcome
         */
        public void editOutcome(int index, String newOutcome) {
            AuditEntry e = entries(operatorId).get(index);
            engine.tamperReplace(operatorId, index, e.withOutcome(newOutcome));
        }

        /**
         * Replaces the entry at an index wholesale.
         *
         * @param index position
         * @param forged the new entry
         */
        public void replace(int index, AuditEntry forged) {
            engine.tamperReplace(operatorId, index, forged);
        }

        /**
         * Removes the entry at an index.
         *
         * @param index position
         */
        public void remove(int index) {
            engine.tamperRemove(operatorId, index);
        }

        /**
         * Swaps two entries.
         *
         * @param i first position
         * @param j second position
         */
        public void swap(int i, int j) {
            engine.tamperSwap(operatorId, i, j);
        }
    }

    @Override
    public String toString() {
        return "AuditLog[operator=" + defaultOperatorId + ", " + entries().size() + " entries]";
    }
}
