package run.getstack.sdk.auditlog.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.auditlog.AuditEntry;

/**
 * Internal, not for public use. STACK's audit chain preimage (wire protocol §8.2): {@code JSON.stringify} of the
 * eight fields in a fixed order, hashed with SHA-256, lower-case hex. Strings are escaped exactly as ECMAScript
 * does (control characters as <code>&#92;u00xx</code> with lower-case hex, lone surrogates escaped, everything else raw),
 * which no JSON library's default matches, so the preimage is written here by hand.
 */
public final class ChainHash {
    /** The {@code prev_entry_hash} of the first entry: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ChainHash() {}

    /**
     * Computes an entry's hash from its fields.
     *
     * @param e the entry
     * @return 64 lower-case hex characters
     */
    public static String entryHash(AuditEntry e) {
        return sha256Hex(preimage(e));
    }

    /**
     * Returns the preimage of an entry's hash.
     *
     * @param e the entry
     * @return the JSON text that is hashed
     */
    public static String preimage(AuditEntry e) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"entry_id\":");
        string(sb, e.entryId());
        sb.append(",\"timestamp\":").append(e.timestampMillis());
        sb.append(",\"operator_id\":");
        string(sb, e.operatorId());
        sb.append(",\"agent_id\":");
        string(sb, e.agentId());
        sb.append(",\"layer\":");
        string(sb, e.layer());
        sb.append(",\"action\":");
        string(sb, e.action());
        sb.append(",\"outcome\":");
        string(sb, e.outcome());
        sb.append(",\"prev_entry_hash\":");
        string(sb, e.prevEntryHash());
        return sb.append('}').toString();
    }

    /**
     * Appends a string as ECMAScript {@code JSON.stringify} writes it, or {@code null}.
     *
     * @param sb where to write
     * @param s the string or null
     */
    public static void string(StringBuilder sb, @Nullable String s) {
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
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(sb, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u")
                .append(HEX[(c >> 12) & 0xF])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
    }

    /**
     * SHA-256 of the UTF-8 bytes, lower-case hex.
     *
     * @param text the text
     * @return 64 hex characters
     */
    public static String sha256Hex(String text) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        byte[] d = md.digest(text.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[d.length * 2];
        for (int i = 0; i < d.length; i++) {
            out[2 * i] = HEX[(d[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[d[i] & 0xF];
        }
        return new String(out);
    }
}
