package run.getstack.sdk.dropoff;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One place where a package does not meet its drop-off's JSON Schema. An immutable value; serializable, so the
 * exception that carries it is.
 */
public final class SchemaIssue implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    /** Where, dotted ({@code items.2.price}), {@code ""} for the package itself. */
    private final String path;

    /** What is wrong there, as the control plane put it (a bounded excerpt). */
    private final String message;

    /**
     * Creates the value.
     *
     * @param path where, dotted ({@code items.2.price}), {@code ""} for the package itself
     * @param message what is wrong there, as the control plane put it (a bounded excerpt)
     */
    public SchemaIssue(String path, String message) {
        this.path = Objects.requireNonNull(path, "path");
        this.message = Objects.requireNonNull(message, "message");
    }

    /**
     * Returns where the package fails its schema.
     *
     * @return the dotted path, {@code ""} for the package itself
     */
    public String path() {
        return path;
    }

    /**
     * Returns what is wrong there.
     *
     * @return the control plane's words (a bounded excerpt)
     */
    public String message() {
        return message;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SchemaIssue other && path.equals(other.path) && message.equals(other.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, message);
    }

    @Override
    public String toString() {
        return "SchemaIssue[path=" + path + ", message=" + message + "]";
    }
}
