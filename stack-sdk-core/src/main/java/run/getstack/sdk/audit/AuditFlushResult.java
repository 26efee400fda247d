package run.getstack.sdk.audit;

/**
 * The truth after {@link AuditWriter#flush(java.time.Duration)} or {@link AuditWriter#close()}, over every event
 * this writer has handled (recorded in this process, or found unacknowledged in the spool at start): how many the
 * control plane acknowledged, how many are safely on disk waiting, how many are neither, and how many the control
 * plane rejected. Never "success" when a delivery failed: {@link #isComplete()} is true only when every event is
 * acknowledged.
 *
 * @param acknowledged events the control plane accepted (or reported as already accepted)
 * @param spooled events forced to disk in the spool and not yet acknowledged
 * @param unsafe events neither acknowledged nor forced to disk (still in memory, or written but not yet forced)
 * @param rejected events the control plane answered with a rejection (see {@link AuditStats#rejectedByCode()})
 * @param state whether the control plane is taking events
 */
public record AuditFlushResult(long acknowledged, long spooled, long unsafe, long rejected, AuditDeliveryState state) {

    /**
     * Tells whether every event is acknowledged (nothing spooled, nothing unsafe, nothing rejected).
     *
     * @return true only if the control plane has every event
     */
    public boolean isComplete() {
        return spooled == 0 && unsafe == 0 && rejected == 0;
    }

    /**
     * Tells whether every event is either acknowledged or safely on disk (it survives a crash of the machine).
     *
     * @return true if nothing is only in memory
     */
    public boolean isDurable() {
        return unsafe == 0;
    }
}
