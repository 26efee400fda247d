package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;

/**
 * Internal, not for public use. The signature layer of passport verification: a compact JWS signed with EdDSA over
 * Ed25519, checked in this order, each failure a {@link PassportVerificationException} with its reason:
 *
 * <ol>
 *   <li>size bounded before anything is parsed ({@code TOO_LARGE});
 *   <li>exactly three segments (header and payload non-empty) of strict unpadded base64url ({@code MALFORMED});
 *   <li>header: strict JSON object without duplicate members; {@code alg} exactly {@code EdDSA}
 *       ({@code UNSUPPORTED_ALGORITHM}); {@code typ} absent or {@code JWT} ({@code UNSUPPORTED_TYPE}); no {@code
 *       crit} ({@code CRITICAL_HEADER}); none of {@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code x5t},
 *       {@code x5t#S256} ({@code FORBIDDEN_HEADER});
 *   <li>the key is chosen by the caller's {@link KeyLookup} from the {@code kid} alone (which may be absent: the
 *       lookup decides whether that is unambiguous);
 *   <li>the 64-byte signature verifies over the ASCII signing input ({@code BAD_SIGNATURE}).
 * </ol>
 *
 * <p>The payload is returned undecoded as JSON: claims are the caller's business, and only after this layer passed.
 */
public final class CompactJws {
    /** The only accepted {@code alg}. */
    public static final String ALGORITHM = "EdDSA";

    private static final List<String> FORBIDDEN = List.of("jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256");

    private final ObjectNode header;
    private final byte[] payload;
    private final @Nullable String kid;
    private final Ed25519Verify key;

    private CompactJws(ObjectNode header, byte[] payload, @Nullable String kid, Ed25519Verify key) {
        this.header = header;
        this.payload = payload;
        this.kid = kid;
        this.key = key;
    }

    /**
     * Parses and verifies a compact JWS.
     *
     * @param token the token
     * @param maxLength the largest accepted token length in characters
     * @param keys chooses the key for the header's {@code kid}
     * @return the verified JWS
     * @throws PassportVerificationException when any check fails
     */
    public static CompactJws verify(String token, int maxLength, KeyLookup keys) {
        int length = token.length();
        if (length > maxLength) {
            throw fail(Reason.TOO_LARGE, "token is " + length + " characters, the maximum is " + maxLength);
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            throw fail(Reason.MALFORMED, "not a compact JWS (expected three segments)");
        }
        if (dot1 == 0 || dot2 == dot1 + 1) {
            throw fail(Reason.MALFORMED, "empty JWS segment");
        }
        // one copy of the token: its segments are decoded from these bytes and its signing input is their prefix.
        // ISO-8859-1 copies a compact string's bytes as they are; a character past U+00FF becomes '?' and any
        // character past U+007F is then outside the base64url alphabet, so the decoding below refuses it, and a
        // signature is only ever checked over bytes that are exactly the token's ASCII characters
        byte[] bytes = token.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length != length) { // a surrogate pair became one '?': the segment bounds no longer line up
            throw fail(Reason.MALFORMED, "token holds a character outside base64url");
        }
        CheckedHeader checked = lastHeader;
        boolean known = checked != null && checked.segment.length() == dot1 && token.startsWith(checked.segment);
        byte[] headerBytes = known ? null : segment(bytes, 0, dot1, "header");
        byte[] payload = segment(bytes, dot1 + 1, dot2, "payload");
        byte[] signature = segment(bytes, dot2 + 1, length, "signature");
        if (checked == null || headerBytes != null) {
            checked = checkHeader(token.substring(0, dot1), Objects.requireNonNull(headerBytes));
            lastHeader = checked;
        }
        ObjectNode header = checked.header;
        String kid = checked.kid;
        if (signature.length != Ed25519Verify.SIGNATURE_SIZE) {
            throw fail(Reason.BAD_SIGNATURE, "an Ed25519 signature has 64 bytes, this one " + signature.length);
        }
        Ed25519Verify key = keys.find(kid);
        if (!key.verify(bytes, 0, dot2, signature)) {
            throw fail(Reason.BAD_SIGNATURE, "signature does not verify with the selected key");
        }
        return new CompactJws(header, payload, kid, key);
    }

    /**
     * The last header segment that passed every header check, with its result: an issuer's passports share one header
     * per signing key, so the next token's header is usually the same string and its checks need not run again (the
     * checks depend on the segment alone). Racy by design: a stale or replaced entry only costs a re-check.
     */
    private static volatile @Nullable CheckedHeader lastHeader;

    private record CheckedHeader(
            String segment, ObjectNode header, @Nullable String kid) {}

    private static CheckedHeader checkHeader(String segment, byte[] headerBytes) {
        ObjectNode header;
        try {
            header = StrictJson.parseObject(headerBytes);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED, "header: " + e.getMessage());
        }
        String kid = checkHeader(header);
        return new CheckedHeader(segment, header, kid);
    }

    private static @Nullable String checkHeader(ObjectNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null) {
            throw fail(Reason.UNSUPPORTED_ALGORITHM, "header has no alg");
        }
        if (!alg.isTextual() || !alg.asText().equals(ALGORITHM)) {
            throw fail(Reason.UNSUPPORTED_ALGORITHM, "alg " + printable(alg) + " is not accepted, only EdDSA");
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !(typ.isTextual() && typ.asText().equals("JWT"))) {
            throw fail(Reason.UNSUPPORTED_TYPE, "typ " + printable(typ) + " is not accepted, only JWT");
        }
        if (header.has("crit")) {
            throw fail(Reason.CRITICAL_HEADER, "header has crit; no JWS extension is supported");
        }
        for (String name : FORBIDDEN) {
            if (header.has(name)) {
                throw fail(Reason.FORBIDDEN_HEADER, "header carries " + name + "; keys never come from the token");
            }
        }
        JsonNode kid = header.get("kid");
        if (kid == null) {
            return null;
        }
        if (!kid.isTextual() || kid.asText().isEmpty()) {
            throw fail(Reason.MALFORMED, "header kid is not a non-empty string");
        }
        return kid.asText();
    }

    /** Shows a short, safe rendering of a header value (header values are not secret, but bounded). */
    private static String printable(JsonNode value) {
        String s = value.isTextual()
                ? '"' + value.asText() + '"'
                : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private static byte[] segment(byte[] token, int start, int end, String name) {
        try {
            return Base64Url.decode(token, start, end);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED, name + " is not unpadded base64url: " + e.getMessage());
        }
    }

    private static PassportVerificationException fail(Reason reason, String message) {
        return new PassportVerificationException(reason, message);
    }

    /**
     * Returns the verified header.
     *
     * @return a copy of the header
     */
    public ObjectNode header() {
        return header.deepCopy(); // the checked header is shared by every token with the same header segment
    }

    /**
     * Returns the verified payload bytes.
     *
     * @return the payload (do not modify)
     */
    public byte[] payload() {
        return payload;
    }

    /**
     * Returns the header's key id.
     *
     * @return the kid, or null when absent
     */
    public @Nullable String kid() {
        return kid;
    }

    /**
     * Returns the key that verified the signature.
     *
     * @return the key
     */
    public Ed25519Verify key() {
        return key;
    }
}
