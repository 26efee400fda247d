package run.getstack.sdk.testkit;

/** How a detector acts when it fires. */
public enum DetectorMode {
    /**
     * STACK's rule (wire protocol §9.3): block when the severity is critical and the agent is enforced, or when
     * the agent's {@code on_warning}/{@code on_critical} setting says block (not in logged mode); else alert.
     */
    POLICY,
    /** Always only record a security event (notify). */
    ALERT,
    /** Always block: revoke the passport and set the agent's {@code passport_blocked} flag. */
    BLOCK,
    /** The detector is switched off. */
    OFF
}
