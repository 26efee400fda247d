package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. The fake's Jackson mapper and an ECMAScript-compatible string writer. */
public final class Json {
    /** The shared mapper. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /**
     * A new empty object node.
     *
     * @return the node
     */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A new array node of strings.
     *
     * @param values the strings
     * @return the node
     */
    public static ArrayNode strings(Collection<String> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }

    /**
     * Serialises compactly.
     *
     * @param node the node
     * @return JSON text
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /**
     * Appends a JSON string literal escaped exactly like ECMAScript {@code JSON.stringify}: {@code "} and
     * {@code \}, the short forms {@code \b \f \n \r \t}, other control characters as lower-case {@code \}{@code
     * u00xx}, lone surrogates as lower-case {@code \}{@code udxxx}, everything else raw.
     *
     * @param sb the target
     * @param s the string, or null for the literal {@code null}
     */
    public static void appendJsString(StringBuilder sb, @Nullable String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        hexEscape(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            hexEscape(sb, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        hexEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void hexEscape(StringBuilder sb, char c) {
        sb.append("\\u");
        String h = Integer.toHexString(c);
        sb.append("0".repeat(4 - h.length())).append(h);
    }
}
