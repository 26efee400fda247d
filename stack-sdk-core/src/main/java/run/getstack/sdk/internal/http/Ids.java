package run.getstack.sdk.internal.http;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Internal, not for public use. Checks the opaque ids STACK hands out (wire protocol §1.2: at most 128 characters of
 * {@code [A-Za-z0-9_-]}) before they go into a path or a body, so a stray slash or query never reaches the server.
 */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Ids() {}

    /**
     * Checks a caller's id.
     *
     * @param name the parameter's name, for the message
     * @param value the id
     * @return the id
     * @throws IllegalArgumentException naming the parameter if it is not an id
     */
    public static String require(String name, String value) {
        Objects.requireNonNull(value, name);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return value;
    }

    /**
     * Checks an id the server sent.
     *
     * @param field the response field, for the message
     * @param value the id
     * @return the id
     * @throws ResponseShapeException if it is not an id
     */
    public static String fromServer(String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw new ResponseShapeException("field '" + field + "' is not an id of [A-Za-z0-9_-]{1,128}");
        }
        return value;
    }
}
