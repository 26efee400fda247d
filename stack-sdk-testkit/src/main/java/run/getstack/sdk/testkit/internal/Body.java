package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. A validated view of a JSON request body; every failure is an {@link ApiError}. */
public final class Body {
    private final ObjectNode node;
    private final String prefix;

    private Body(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /**
     * Parses a request body that must be a JSON object; an empty body is an empty object when allowed.
     *
     * @param bytes the body
     * @param emptyAllowed whether an empty body counts as {@code {}}
     * @return the body
     */
    public static Body parse(byte[] bytes, boolean emptyAllowed) {
        if (bytes.length == 0) {
            if (emptyAllowed) {
                return new Body(Json.object(), "");
            }
            throw ApiError.invalid("", "a JSON object body is required");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiError.invalid("", "body is not valid JSON");
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiError.invalid("", "body must be a JSON object");
        }
        return new Body(o, "");
    }

    /**
     * Wraps an object node (e.g. a nested object).
     *
     * @param node the node
     * @param prefix dotted path prefix for error messages
     * @return the body
     */
    public static Body of(ObjectNode node, String prefix) {
        return new Body(node, prefix);
    }

    /**
     * The raw node.
     *
     * @return the node
     */
    public ObjectNode node() {
        return node;
    }

    private String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    private @Nullable JsonNode get(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    /**
     * Whether a non-null value is present.
     *
     * @param field name
     * @return presence
     */
    public boolean has(String field) {
        return get(field) != null;
    }

    /**
     * A required string.
     *
     * @param field name
     * @param maxLen maximum length
     * @return the value
     */
    public String reqString(String field, int maxLen) {
        String s = optString(field, maxLen);
        if (s == null) {
            throw ApiError.invalid(path(field), "is required");
        }
        return s;
    }

    /**
     * An optional string.
     *
     * @param field name
     * @param maxLen maximum length
     * @return the value or null
     */
    public @Nullable String optString(String field, int maxLen) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.invalid(path(field), "must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLen) {
            throw ApiError.invalid(path(field), "must be at most " + maxLen + " characters");
        }
        return s;
    }

    /**
     * An optional string from a fixed set.
     *
     * @param field name
     * @param allowed allowed values
     * @return the value or null
     */
    public @Nullable String optEnum(String field, List<String> allowed) {
        String s = optString(field, 64);
        if (s != null && !allowed.contains(s)) {
            throw ApiError.invalid(path(field), "must be one of " + allowed);
        }
        return s;
    }

    /**
     * An optional integer within bounds.
     *
     * @param field name
     * @param min minimum
     * @param max maximum
     * @return the value or null
     */
    public @Nullable Long optLong(String field, long min, long max) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiError.invalid(path(field), "must be an integer");
        }
        long l = v.asLong();
        if (l < min || l > max) {
            throw ApiError.invalid(path(field), "must be between " + min + " and " + max);
        }
        return l;
    }

    /**
     * A required integer within bounds.
     *
     * @param field name
     * @param min minimum
     * @param max maximum
     * @return the value
     */
    public long reqLong(String field, long min, long max) {
        Long l = optLong(field, min, max);
        if (l == null) {
            throw ApiError.invalid(path(field), "is required");
        }
        return l;
    }

    /**
     * An optional boolean.
     *
     * @param field name
     * @return the value or null
     */
    public @Nullable Boolean optBool(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid(path(field), "must be a boolean");
        }
        return v.asBoolean();
    }

    /**
     * An optional array of strings.
     *
     * @param field name
     * @param maxItems maximum items
     * @param maxLen maximum length of each
     * @return the values or null
     */
    public @Nullable List<String> optStrings(String field, int maxItems, int maxLen) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.invalid(path(field), "must be an array of strings");
        }
        if (v.size() > maxItems) {
            throw ApiError.invalid(path(field), "must have at most " + maxItems + " items");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (!e.isTextual()) {
                throw ApiError.invalid(path(field) + "." + i, "must be a string");
            }
            if (e.asText().length() > maxLen) {
                throw ApiError.invalid(path(field) + "." + i, "must be at most " + maxLen + " characters");
            }
            out.add(e.asText());
        }
        return out;
    }

    /**
     * A required array of strings.
     *
     * @param field name
     * @param minItems minimum items
     * @param maxItems maximum items
     * @param maxLen maximum length of each
     * @return the values
     */
    public List<String> reqStrings(String field, int minItems, int maxItems, int maxLen) {
        List<String> l = optStrings(field, maxItems, maxLen);
        if (l == null) {
            throw ApiError.invalid(path(field), "is required");
        }
        if (l.size() < minItems) {
            throw ApiError.invalid(path(field), "must have at least " + minItems + " item(s)");
        }
        return l;
    }

    /**
     * An optional nested object.
     *
     * @param field name
     * @return the nested body or null
     */
    public @Nullable Body optObject(String field) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw ApiError.invalid(path(field), "must be an object");
        }
        return new Body(o, path(field));
    }

    /**
     * An optional array of objects.
     *
     * @param field name
     * @param maxItems maximum items
     * @return nested bodies or null
     */
    public @Nullable List<Body> optObjects(String field, int maxItems) {
        JsonNode v = get(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.invalid(path(field), "must be an array of objects");
        }
        if (v.size() > maxItems) {
            throw ApiError.invalid(path(field), "must have at most " + maxItems + " items");
        }
        List<Body> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!(v.get(i) instanceof ObjectNode o)) {
                throw ApiError.invalid(path(field) + "." + i, "must be an object");
            }
            out.add(new Body(o, path(field) + "." + i));
        }
        return out;
    }

    /**
     * An optional raw JSON value.
     *
     * @param field name
     * @return the value or null
     */
    public @Nullable JsonNode raw(String field) {
        return get(field);
    }
}
