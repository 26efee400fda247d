package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Typed reads from response JSON; a missing field or a wrong type throws
 * {@link ResponseShapeException} naming the field (never its value).
 */
public final class JsonFields {
    private JsonFields() {}

    /**
     * Reads a required string.
     *
     * @param node the object
     * @param field the field name
     * @return the value
     */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new ResponseShapeException("field '" + field + "' is missing or not a string");
        }
        return v.asText();
    }

    /**
     * Reads an optional string; absent or null gives null.
     *
     * @param node the object
     * @param field the field name
     * @return the value or null
     */
    public static @Nullable String optText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ResponseShapeException("field '" + field + "' is not a string");
        }
        return v.asText();
    }

    /**
     * Reads a required integer that fits a {@code long}.
     *
     * @param node the object
     * @param field the field name
     * @return the value
     */
    public static long integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ResponseShapeException("field '" + field + "' is missing or not an integer");
        }
        return v.asLong();
    }

    /**
     * Reads an optional integer; absent or null gives {@code dflt}.
     *
     * @param node the object
     * @param field the field name
     * @param dflt the value when absent
     * @return the value
     */
    public static long optInteger(JsonNode node, String field, long dflt) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        return integer(node, field);
    }

    /**
     * Reads a required boolean.
     *
     * @param node the object
     * @param field the field name
     * @return the value
     */
    public static boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw new ResponseShapeException("field '" + field + "' is missing or not a boolean");
        }
        return v.asBoolean();
    }

    /**
     * Reads a required RFC 3339 timestamp.
     *
     * @param node the object
     * @param field the field name
     * @return the instant
     */
    public static Instant instant(JsonNode node, String field) {
        String s = text(node, field);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new ResponseShapeException("field '" + field + "' is not an ISO-8601 UTC timestamp");
        }
    }

    /**
     * Reads an optional RFC 3339 timestamp.
     *
     * @param node the object
     * @param field the field name
     * @return the instant or null
     */
    public static @Nullable Instant optInstant(JsonNode node, String field) {
        return optText(node, field) == null ? null : instant(node, field);
    }

    /**
     * Reads a required array.
     *
     * @param node the object
     * @param field the field name
     * @return the array node
     */
    public static JsonNode array(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw new ResponseShapeException("field '" + field + "' is missing or not an array");
        }
        return v;
    }

    /**
     * Reads a required object.
     *
     * @param node the object
     * @param field the field name
     * @return the object node
     */
    public static JsonNode object(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isObject()) {
            throw new ResponseShapeException("field '" + field + "' is missing or not an object");
        }
        return v;
    }

    /**
     * Reads an optional array of strings; absent or null gives an empty list.
     *
     * @param node the object
     * @param field the field name
     * @return an unmodifiable list
     */
    public static List<String> optTextList(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ResponseShapeException("field '" + field + "' is not an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new ResponseShapeException("field '" + field + "' has a non-string element");
            }
            out.add(e.asText());
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Reads a required string as a typed value (an agent's mode, an event's severity); a value the parser refuses
     * is a malformed response.
     *
     * @param node the object
     * @param field the field name
     * @param parse the typed value's {@code of}
     * @param <T> the typed value
     * @return the value
     */
    public static <T> T typed(JsonNode node, String field, java.util.function.Function<String, T> parse) {
        String v = text(node, field);
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw new ResponseShapeException("field '" + field + "' is not a valid value");
        }
    }

    /**
     * Reads an optional string as a typed value; absent or null gives null.
     *
     * @param node the object
     * @param field the field name
     * @param parse the typed value's {@code of}
     * @param <T> the typed value
     * @return the value or null
     */
    public static <T> @Nullable T optTyped(JsonNode node, String field, java.util.function.Function<String, T> parse) {
        return optText(node, field) == null ? null : typed(node, field, parse);
    }
}
