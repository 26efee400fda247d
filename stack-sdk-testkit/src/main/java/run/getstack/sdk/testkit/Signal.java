package run.getstack.sdk.testkit;

/** The detectors the fake implements, by STACK signal type. */
public enum Signal {
    /** Credential or lease requests far above the agent's baseline rate. */
    CREDENTIAL_BURST("credential_burst"),
    /** A credential, lease or proxy request for a service outside the passport. */
    CREDENTIAL_OUTSIDE_SCOPE("credential_outside_scope"),
    /** The first out-of-scope request of a passport (simplified novelty rule). */
    SCOPE_DRIFT("scope_drift"),
    /** Any credential, lease, proxy or checkpoint call presenting a checked-out passport. */
    POST_CHECKOUT_ACCESS("post_checkout_access");

    private final String wireName;

    Signal(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The {@code signal_type} string on the wire.
     *
     * @return the name
     */
    public String wireName() {
        return wireName;
    }
}
