package run.getstack.sdk.testkit.internal.grants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;

/** Internal, not for public use. Proxy constraints of a grant (wire protocol §3.2): validation and evaluation. */
public final class Constraints {
    private Constraints() {}

    private static final List<String> CONSTRAINT_OPS =
            List.of("eq", "not_eq", "in", "not_in", "matches", "starts_with");

    /** Validates an optional {@code constraints} array (wire protocol §3.2; ≤ 32, regex ≤ 256). */
    public static List<ObjectNode> parse(Body b) {
        List<Body> list = b.optObjects("constraints", 32);
        if (list == null) {
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Body c : list) {
            String path = c.reqString("path", 256);
            if (!(path.equals("method")
                    || path.equals("url.pathname")
                    || path.equals("url.host")
                    || path.equals("url.origin")
                    || path.startsWith("headers.")
                    || path.startsWith("query.")
                    || path.startsWith("body."))) {
                throw ApiError.invalid("constraints.path", "unknown constraint path: " + path);
            }
            String op = c.optEnum("op", CONSTRAINT_OPS);
            if (op == null) {
                throw ApiError.invalid("constraints.op", "is required");
            }
            if (op.equals("in") || op.equals("not_in")) {
                c.reqStrings("value", 1, 100, 1024);
            } else {
                String v = c.reqString("value", op.equals("matches") ? 256 : 1024);
                if (op.equals("matches")) {
                    try {
                        Pattern.compile(v);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw ApiError.invalid("constraints.value", "not a valid regular expression");
                    }
                }
            }
            ObjectNode o = Json.object();
            o.put("path", path);
            o.put("op", op);
            o.set("value", c.raw("value"));
            out.add(o);
        }
        return List.copyOf(out);
    }

    /**
     * The request value a constraint path names, or null when the request has none (which fails).
     *
     * @param path constraint path
     * @param method method
     * @param uri target URI
     * @param headers request headers
     * @param query query parameters
     * @param body JSON body or null
     * @return the value or null
     */
    public static @Nullable String value(
            String path,
            String method,
            java.net.URI uri,
            Map<String, String> headers,
            Map<String, String> query,
            @Nullable JsonNode body) {
        if (path.equals("method")) {
            return method;
        }
        if (path.equals("url.pathname")) {
            return uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        }
        if (path.equals("url.host")) {
            return uri.getHost();
        }
        if (path.equals("url.origin")) {
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        }
        if (path.startsWith("headers.")) {
            String name = path.substring(8);
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
        if (path.startsWith("query.")) {
            String key = path.substring(6);
            if (query.containsKey(key)) {
                return query.get(key);
            }
            String raw = uri.getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&", -1)) {
                    int eq = pair.indexOf('=');
                    String k =
                            java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    if (k.equals(key)) {
                        return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    }
                }
            }
            return null;
        }
        JsonNode n = body;
        for (String part : path.substring(5).split("\\.", -1)) {
            if (n == null || !n.isObject() || !n.has(part)) {
                return null;
            }
            n = n.get(part);
        }
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.asText() : Json.write(n);
    }

    /**
     * Whether a constraint holds for a value (a missing value fails).
     *
     * @param c constraint
     * @param actual value or null
     * @return the verdict
     */
    public static boolean holds(ObjectNode c, @Nullable String actual) {
        if (actual == null) {
            return false;
        }
        String op = c.path("op").asText();
        JsonNode v = c.path("value");
        return switch (op) {
            case "eq" -> actual.equals(v.asText());
            case "not_eq" -> !actual.equals(v.asText());
            case "starts_with" -> actual.startsWith(v.asText());
            case "matches" -> Pattern.compile(v.asText()).matcher(actual).find();
            case "in", "not_in" -> {
                boolean found = false;
                for (JsonNode e : v) {
                    found |= actual.equals(e.asText());
                }
                yield op.equals("in") == found;
            }
            default -> false;
        };
    }
}
