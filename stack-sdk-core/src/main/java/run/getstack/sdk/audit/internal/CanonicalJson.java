package run.getstack.sdk.audit.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Writes JSON bytes exactly as ECMAScript {@code JSON.stringify} would for the values
 * the audit chain uses (docs/wire-protocol.md §8.2): no whitespace; in strings {@code "} and {@code \} escaped, the
 * short forms {@code \b \f \n \r \t}, every other U+0000–U+001F as {@code \}{@code u00xx} with lower-case hex, a lone
 * surrogate as {@code \}{@code udxxx} (lower-case hex), everything else (including {@code /}, non-ASCII, U+2028 and
 * U+2029) raw in UTF-8; integers without fraction or exponent. Jackson is not used on purpose: it writes upper-case
 * hex and treats lone surrogates differently.
 *
 * <p>A growable byte buffer; not thread-safe; {@link #reset()} reuses it.
 */
public final class CanonicalJson {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    /** Creates a writer with a small buffer. */
    public CanonicalJson() {
        this(256);
    }

    /**
     * Creates a writer.
     *
     * @param capacity the initial buffer size
     */
    public CanonicalJson(int capacity) {
        this.buf = new byte[Math.max(16, capacity)];
    }

    /** Forgets what was written, keeping the buffer. */
    public void reset() {
        len = 0;
    }

    /**
     * Returns how many bytes were written.
     *
     * @return the length
     */
    public int length() {
        return len;
    }

    /**
     * Returns the internal buffer (valid up to {@link #length()}).
     *
     * @return the buffer, not a copy
     */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Returns a copy of what was written.
     *
     * @return the bytes
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * Returns what was written, decoded.
     *
     * @return the text
     */
    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * Appends ASCII text as is (structure: braces, commas, quoted key names the caller knows are plain).
     *
     * @param ascii plain ASCII
     * @return this
     */
    public CanonicalJson raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /**
     * Appends one ASCII character.
     *
     * @param c the character
     * @return this
     */
    public CanonicalJson raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    /**
     * Appends {@code "name":}.
     *
     * @param name a plain ASCII key without characters that need escaping
     * @return this
     */
    public CanonicalJson name(String name) {
        return raw('"').raw(name).raw("\":");
    }

    /**
     * Appends an integer.
     *
     * @param value the value
     * @return this
     */
    public CanonicalJson number(long value) {
        return raw(Long.toString(value));
    }

    /**
     * Appends {@code null}.
     *
     * @return this
     */
    public CanonicalJson nullValue() {
        return raw("null");
    }

    /**
     * Appends a string literal, or {@code null}.
     *
     * @param s the string, or null
     * @return this
     */
    public CanonicalJson stringOrNull(@Nullable String s) {
        return s == null ? nullValue() : string(s);
    }

    /**
     * Appends a string literal escaped as {@code JSON.stringify} does.
     *
     * @param s the string
     * @return this
     */
    public CanonicalJson string(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    buf[len++] = (byte) c;
                } else {
                    escapeAscii(c);
                }
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                ensure(4 + (n - i) * 3);
                buf[len++] = (byte) (0xF0 | (cp >> 18));
                buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                ensure(6 + (n - i) * 3);
                unicodeEscape(c);
            } else {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        buf[len++] = '"';
        return this;
    }

    /**
     * Appends a flat object of string, number and boolean values (an audit event's {@code detail}).
     *
     * @param detail the entries, in order
     * @return this
     */
    public CanonicalJson detailObject(Map<String, Object> detail) {
        raw('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : detail.entrySet()) {
            if (!first) {
                raw(',');
            }
            first = false;
            string(e.getKey()).raw(':');
            Object v = e.getValue();
            if (v instanceof String s) {
                string(s);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Boolean) {
                raw(v.toString());
            } else {
                throw new IllegalArgumentException("detail values must be strings, integers or booleans");
            }
        }
        return raw('}');
    }

    private void escapeAscii(char c) {
        ensure(6);
        buf[len++] = '\\';
        switch (c) {
            case '"' -> buf[len++] = '"';
            case '\\' -> buf[len++] = '\\';
            case '\b' -> buf[len++] = 'b';
            case '\f' -> buf[len++] = 'f';
            case '\n' -> buf[len++] = 'n';
            case '\r' -> buf[len++] = 'r';
            case '\t' -> buf[len++] = 't';
            default -> {
                len--;
                unicodeEscape(c);
            }
        }
    }

    private void unicodeEscape(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /**
     * Returns a string as {@code JSON.stringify} would write it (with quotes).
     *
     * @param s the string
     * @return the literal
     */
    public static String quote(String s) {
        return new CanonicalJson(s.length() + 16).string(s).toString();
    }
}
