package run.getstack.sdk.testkit;

import java.util.Locale;

/** How an agent may reach its credentials ({@code credential_access}, STACK's live agent tools). */
public enum CredentialAccess {
    /** Raw credentials and leases are handed out. */
    DIRECT,
    /** The proxy is preferred; raw credentials are still handed out. */
    PROXY_PREFERRED,
    /** Only the proxy: the agent never receives raw credentials (hosted STACK's default). */
    PROXY_ONLY;

    /**
     * The value on the wire.
     *
     * @return e.g. {@code proxy_only}
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire value.
     *
     * @param value e.g. {@code proxy_only}
     * @return the setting
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CredentialAccess fromWire(String value) {
        for (CredentialAccess c : values()) {
            if (c.wireValue().equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("credential_access must be direct, proxy_preferred or proxy_only: " + value);
    }
}
