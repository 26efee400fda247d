package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Internal, not for public use. Small wire helpers every resource module shares: ids, times, query numbers, pages. */
public final class Wire {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Wire() {}

    /**
     * A random id: prefix plus {@code n} chars of {@code [a-z0-9]}.
     *
     * @param prefix prefix
     * @param n random chars
     * @return the id
     */
    public static String newId(String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /**
     * A random id with 24 random chars, the format of every STACK id.
     *
     * @param prefix prefix such as {@code agt_}
     * @return the id
     */
    public static String id(String prefix) {
        return newId(prefix, 24);
    }

    /**
     * Random bytes from the fake's one secure random.
     *
     * @param out filled
     */
    public static void randomBytes(byte[] out) {
        RANDOM.nextBytes(out);
    }

    /**
     * ISO-8601 with exactly three fractional digits.
     *
     * @param t instant
     * @return text
     */
    public static String iso(Instant t) {
        return ISO.format(t);
    }

    /**
     * An optional integer query parameter within bounds.
     *
     * @param q query
     * @param name parameter
     * @param def default
     * @param min smallest
     * @param max largest
     * @return the value
     */
    public static long queryLong(Map<String, String> q, String name, long def, long min, long max) {
        String v = q.get(name);
        if (v == null) {
            return def;
        }
        long l;
        try {
            l = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name, "must be an integer");
        }
        if (l < min || l > max) {
            throw ApiError.invalid(name, "must be between " + min + " and " + max);
        }
        return l;
    }

    /**
     * One page of a list, as every paged list of the fake answers: {@code {<field>: [...], page, limit, has_more}},
     * the items {@code (page - 1) * limit} on, at most {@code limit} of them.
     *
     * @param field the array's name
     * @param all every item, in the list's order
     * @param page the page, from 1
     * @param limit the most items a page holds
     * @param json one item's JSON
     * @param <T> item type
     * @return the page
     */
    public static <T> ObjectNode page(
            String field, List<T> all, long page, long limit, Function<? super T, ? extends JsonNode> json) {
        ObjectNode o = Json.object();
        ArrayNode arr = o.putArray(field);
        long from = (page - 1) * limit;
        for (long i = from; i < Math.min(all.size(), from + limit); i++) {
            arr.add(json.apply(all.get((int) i)));
        }
        o.put("page", page);
        o.put("limit", limit);
        o.put("has_more", from + limit < all.size());
        return o;
    }

    /**
     * {@code {"reason": reason}}.
     *
     * @param reason the reason
     * @return the details object
     */
    public static ObjectNode reasonNode(String reason) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        return d;
    }
}
