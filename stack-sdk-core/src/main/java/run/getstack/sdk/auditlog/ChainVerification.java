package run.getstack.sdk.auditlog;

import org.jspecify.annotations.Nullable;

/**
 * The result of walking an audit hash chain, by STACK ({@link AuditLog#verifyChain()}) or locally ({@link
 * AuditChainVerifier}).
 *
 * @param valid whether every entry checked out
 * @param checked how many entries were examined, up to and including the first bad one
 * @param firstBadEntryId the first entry that failed, or null when valid
 * @param reason why it failed, or null when valid
 */
public record ChainVerification(
        boolean valid,
        long checked,
        @Nullable String firstBadEntryId,
        @Nullable Reason reason) {

    /** Why an entry failed. */
    public enum Reason {
        /** Its {@code entry_hash} does not match the hash of its own fields: the entry was changed. */
        HASH_MISMATCH("hash_mismatch"),
        /**
         * Its {@code prev_entry_hash} is not the previous entry's {@code entry_hash}: an entry was removed, inserted
         * or moved before it.
         */
        PREV_HASH_MISMATCH("prev_hash_mismatch"),
        /** A reason a newer STACK reports that this SDK version does not know. */
        OTHER("other");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        /**
         * Returns STACK's name for the reason.
         *
         * @return e.g. {@code hash_mismatch}
         */
        public String wireValue() {
            return wire;
        }

        /**
         * Returns the reason for STACK's name.
         *
         * @param wire the name
         * @return the reason, {@link #OTHER} if unknown
         */
        public static Reason fromWire(String wire) {
            for (Reason r : values()) {
                if (r.wire.equals(wire)) {
                    return r;
                }
            }
            return OTHER;
        }
    }

    /**
     * Checks that a failure names its entry and reason.
     *
     * @param valid whether valid
     * @param checked entries examined
     * @param firstBadEntryId the first bad entry
     * @param reason the reason
     */
    public ChainVerification {
        if (checked < 0) {
            throw new IllegalArgumentException("checked: must not be negative");
        }
        if (!valid && (firstBadEntryId == null || reason == null)) {
            throw new IllegalArgumentException("an invalid chain names its first bad entry and the reason");
        }
    }
}
