package run.getstack.sdk.passport.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * Internal, not for public use. Strict base64url (RFC 4648 §5) without padding, as JWS compact serialization
 * requires: only {@code A-Z a-z 0-9 - _}, no {@code =}, no whitespace, no length of the form 4n+1, and the unused
 * low bits of the last character must be zero, so every byte string has exactly one accepted encoding.
 */
public final class Base64Url {
    /** The value of each byte (all 256, so a byte indexes it without a range check), -1 outside the alphabet. */
    private static final byte[] DECODE = new byte[256];

    static {
        Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private static final Base64.Decoder URL_DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    /**
     * Decodes a whole string.
     *
     * @param s the encoded text
     * @return the bytes
     * @throws IllegalArgumentException if the text is not canonical unpadded base64url
     */
    public static byte[] decode(CharSequence s) {
        int len = s.length();
        byte[] ascii = new byte[len];
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            // anything outside ASCII becomes a byte the alphabet lacks, so the decode below refuses it
            ascii[i] = c < 128 ? (byte) c : (byte) 0x80;
        }
        return decode(ascii, 0, len);
    }

    /**
     * Decodes {@code s[start, end)} of ASCII bytes (a token's bytes: a compact JWS is decoded straight from the bytes
     * its signature covers, without a copy per segment).
     *
     * @param s the bytes
     * @param start first byte
     * @param end one past the last byte
     * @return the decoded bytes
     * @throws IllegalArgumentException if the range is not canonical unpadded base64url
     */
    public static byte[] decode(byte[] s, int start, int end) {
        int len = end - start;
        int rem = len & 3;
        if (rem == 1) {
            throw new IllegalArgumentException("invalid base64url length");
        }
        if (len == 0) {
            return new byte[0];
        }
        // what the JDK's decoder leaves open, checked here: no padding (it could only end the text), and the unused
        // low bits of the last character are zero (the JDK ignores them, which would give one byte string many
        // encodings). The JDK's decoder refuses every character outside the URL-safe alphabet, and it decodes a
        // passport's payload ten times faster than the table loop this class had (JMH, same run, JDK 17)
        int last = DECODE[s[end - 1] & 0xff];
        if (last < 0) {
            throw invalidCharacter();
        }
        if ((rem == 2 && (last & 0x0F) != 0) || (rem == 3 && (last & 0x03) != 0)) {
            throw new IllegalArgumentException("non-canonical base64url (trailing bits)");
        }
        ByteBuffer decoded;
        try {
            decoded = URL_DECODER.decode(ByteBuffer.wrap(s, start, len));
        } catch (IllegalArgumentException e) {
            throw invalidCharacter(); // the JDK's message quotes the character's code; this one quotes nothing
        }
        byte[] out = decoded.array();
        return decoded.remaining() == out.length ? out : Arrays.copyOf(out, decoded.remaining());
    }

    /**
     * Encodes bytes without padding.
     *
     * @param bytes the bytes
     * @return the base64url text
     */
    public static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static IllegalArgumentException invalidCharacter() {
        return new IllegalArgumentException("invalid base64url character");
    }
}
