package run.getstack.sdk.credential;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * A credential read from STACK's vault ({@link Credentials}): the provider and its value. {@link #close()} zeroes
 * the value. {@link #toString()} shows no value. Thread-safe.
 */
public final class Credential implements AutoCloseable {
    private final String provider;
    private final @Nullable String connectionId;
    private final String passportJti;
    private final CredentialValue value;

    /**
     * Creates a credential.
     *
     * @param provider the provider slug
     * @param connectionId the connection it came from, when known
     * @param passportJti the passport it was read under
     * @param value the value (kept, not copied)
     */
    public Credential(String provider, @Nullable String connectionId, String passportJti, CredentialValue value) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.connectionId = connectionId;
        this.passportJti = Objects.requireNonNull(passportJti, "passportJti");
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * Returns the provider slug.
     *
     * @return the provider
     */
    public String provider() {
        return provider;
    }

    /**
     * Returns the connection id, when the credential was read by connection.
     *
     * @return the connection id, or null when read by provider (STACK's answer does not name it)
     */
    public @Nullable String connectionId() {
        return connectionId;
    }

    /**
     * Returns the jti of the passport the credential was read under.
     *
     * @return the jti
     */
    public String passportJti() {
        return passportJti;
    }

    /**
     * Returns the value.
     *
     * @return the value
     */
    public CredentialValue value() {
        return value;
    }

    /**
     * Returns the single value ({@code value().secret()}).
     *
     * @return the secret
     * @throws IllegalStateException for a multi-field credential
     */
    public Secret secret() {
        return value.secret();
    }

    /** Zeroes the value. */
    @Override
    public void close() {
        value.close();
    }

    /**
     * Shows the provider and fingerprints, never the value.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "Credential{provider=" + provider + (connectionId == null ? "" : ", connectionId=" + connectionId)
                + ", passportJti=" + passportJti + ", value=" + value + '}';
    }
}
