package run.getstack.sdk.dropoff;

import java.util.Objects;

/**
 * One place where a package does not meet its drop-off's JSON Schema.
 *
 * @param path where, dotted ({@code items.2.price}), {@code ""} for the package itself
 * @param message what is wrong there, as the control plane put it (a bounded excerpt)
 */
public record SchemaIssue(String path, String message) implements java.io.Serializable {
    /**
     * Creates the value.
     *
     * @param path where, dotted, {@code ""} for the package itself
     * @param message what is wrong there
     */
    public SchemaIssue {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }
}
