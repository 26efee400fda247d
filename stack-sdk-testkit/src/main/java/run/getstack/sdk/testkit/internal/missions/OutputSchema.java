package run.getstack.sdk.testkit.internal.missions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Internal, not for public use. The JSON Schema subset the fake checks a mission's output against: {@code type}
 * (object, array, string, number, integer, boolean, null), {@code required}, {@code properties}, {@code items},
 * {@code enum}, {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum} and {@code
 * additionalProperties: false}. Other keywords are ignored (accepted).
 */
final class OutputSchema {
    private OutputSchema() {}

    /** One failure: dotted path and message. */
    record Issue(String path, String message) {}

    static List<Issue> check(JsonNode schema, JsonNode value) {
        List<Issue> out = new ArrayList<>();
        check(schema, value, "", out, 0);
        return out;
    }

    private static void check(JsonNode s, JsonNode v, String path, List<Issue> out, int depth) {
        if (!s.isObject() || depth > 32 || out.size() >= 20) {
            return;
        }
        JsonNode type = s.get("type");
        if (type != null && type.isTextual() && !hasType(v, type.asText())) {
            out.add(new Issue(path, "must be " + type.asText()));
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null && en.isArray()) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= e.equals(v);
            }
            if (!found) {
                out.add(new Issue(path, "must be one of the enum values"));
            }
        }
        if (v.isTextual()) {
            int len = v.asText().codePointCount(0, v.asText().length());
            if (s.path("minLength").canConvertToInt()
                    && len < s.get("minLength").asInt()) {
                out.add(new Issue(path, "is shorter than " + s.get("minLength").asInt()));
            }
            if (s.path("maxLength").canConvertToInt()
                    && len > s.get("maxLength").asInt()) {
                out.add(new Issue(path, "is longer than " + s.get("maxLength").asInt()));
            }
        }
        if (v.isNumber()) {
            if (s.path("minimum").isNumber() && v.asDouble() < s.get("minimum").asDouble()) {
                out.add(new Issue(path, "is below the minimum"));
            }
            if (s.path("maximum").isNumber() && v.asDouble() > s.get("maximum").asDouble()) {
                out.add(new Issue(path, "is above the maximum"));
            }
        }
        if (v.isObject()) {
            JsonNode req = s.get("required");
            if (req != null && req.isArray()) {
                for (JsonNode r : req) {
                    if (r.isTextual() && !v.has(r.asText())) {
                        out.add(new Issue(join(path, r.asText()), "is required"));
                    }
                }
            }
            JsonNode props = s.get("properties");
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                JsonNode ps = props == null ? null : props.get(e.getKey());
                if (ps != null) {
                    check(ps, e.getValue(), join(path, e.getKey()), out, depth + 1);
                } else if (s.path("additionalProperties").isBoolean()
                        && !s.get("additionalProperties").asBoolean()) {
                    out.add(new Issue(join(path, e.getKey()), "is not allowed"));
                }
            }
        }
        if (v.isArray() && s.has("items")) {
            int i = 0;
            for (JsonNode item : v) {
                check(s.get("items"), item, join(path, Integer.toString(i++)), out, depth + 1);
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }
}
