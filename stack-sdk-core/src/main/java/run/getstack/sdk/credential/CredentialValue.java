package run.getstack.sdk.credential;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * A credential's value: one {@link Secret} (an API key or OAuth access token), or several named ones for a
 * multi-field credential ({@code host}, {@code username}, {@code password}, ...). {@link #toString()} shows the
 * field names and fingerprints only. {@link #close()} zeroes every secret. Thread-safe.
 */
public final class CredentialValue implements AutoCloseable {
    private final @Nullable Secret single;
    private final Map<String, Secret> fields;

    private CredentialValue(@Nullable Secret single, Map<String, Secret> fields) {
        this.single = single;
        this.fields = fields;
    }

    /**
     * A single-value credential.
     *
     * @param value the secret (kept, not copied)
     * @return the value
     */
    public static CredentialValue single(Secret value) {
        return new CredentialValue(Objects.requireNonNull(value, "value"), Map.of());
    }

    /**
     * A multi-field credential.
     *
     * @param fields field name to secret (kept, not copied); at least one
     * @return the value
     */
    public static CredentialValue multiField(Map<String, Secret> fields) {
        Objects.requireNonNull(fields, "fields");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields: at least one field is required");
        }
        return new CredentialValue(null, Collections.unmodifiableMap(new TreeMap<>(fields)));
    }

    /**
     * Returns whether the credential has named fields instead of one value.
     *
     * @return true for a multi-field credential
     */
    public boolean isMultiField() {
        return single == null;
    }

    /**
     * Returns the single value.
     *
     * @return the secret
     * @throws IllegalStateException for a multi-field credential (use {@link #fields()}), naming its fields
     */
    public Secret secret() {
        Secret s = single;
        if (s == null) {
            throw new IllegalStateException(
                    "a multi-field credential has no single value; read fields() " + fields.keySet());
        }
        return s;
    }

    /**
     * Returns the named fields of a multi-field credential.
     *
     * @return field name to secret, sorted by name; empty for a single-value credential
     */
    public Map<String, Secret> fields() {
        return fields;
    }

    /**
     * Returns one named field.
     *
     * @param name the field name
     * @return the secret
     * @throws IllegalArgumentException if there is no such field, naming the fields there are
     */
    public Secret field(String name) {
        Secret s = fields.get(Objects.requireNonNull(name, "name"));
        if (s == null) {
            throw new IllegalArgumentException("name: no field '" + name + "'; the credential has " + names());
        }
        return s;
    }

    private Set<String> names() {
        return fields.keySet();
    }

    /**
     * Returns whether the value was zeroed by {@link #close()}.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        Secret s = single;
        return s != null ? s.isClosed() : fields.values().stream().allMatch(Secret::isClosed);
    }

    /** Zeroes every secret of the value. Idempotent. */
    @Override
    public void close() {
        Secret s = single;
        if (s != null) {
            s.close();
        }
        fields.values().forEach(Secret::close);
    }

    /**
     * Shows fingerprints only.
     *
     * @return {@code CredentialValue[...]} without any value
     */
    @Override
    public String toString() {
        Secret s = single;
        return s != null ? "CredentialValue[" + s + "]" : "CredentialValue" + fields;
    }
}
