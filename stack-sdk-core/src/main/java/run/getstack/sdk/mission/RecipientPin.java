package run.getstack.sdk.mission;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A recipient pin the owner adds to a mission ({@code docs/wire-protocol.md} §10.4.2, STACK's live tool {@code
 * stack_add_mission_recipients}): at the recipient field {@code path} ({@code "*"} for every recipient field), the
 * recipient must meet {@code op} with {@code value}.
 *
 * @param path the recipient field, 1 to 256 characters; {@code "*"} for every recipient field
 * @param op the comparison, 1 to 32 characters of {@code [a-z_]}
 * @param value the value, 1 to 320 characters
 */
public record RecipientPin(String path, String op, String value) {
    private static final Pattern OP = Pattern.compile("[a-z_]{1,32}");

    /**
     * Checks the components.
     *
     * @param path the recipient field, 1 to 256 characters; {@code "*"} for every recipient field
     * @param op the comparison, 1 to 32 characters of {@code [a-z_]}
     * @param value the value, 1 to 320 characters
     * @throws IllegalArgumentException naming the component that is out of range
     */
    public RecipientPin {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        if (path.isBlank() || path.length() > 256) {
            throw new IllegalArgumentException("path: must be 1 to 256 characters");
        }
        if (!OP.matcher(op).matches()) {
            throw new IllegalArgumentException("op: must be 1 to 32 characters of [a-z_]");
        }
        if (value.isEmpty() || value.length() > 320) {
            throw new IllegalArgumentException("value: must be 1 to 320 characters");
        }
    }

    /**
     * A pin on every recipient field.
     *
     * @param op the comparison
     * @param value the value
     * @return the pin with path {@code "*"}
     */
    public static RecipientPin everyField(String op, String value) {
        return new RecipientPin("*", op, value);
    }
}
