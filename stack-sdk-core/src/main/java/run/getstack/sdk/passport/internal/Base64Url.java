package run.getstack.sdk.passport.internal;

import java.util.Arrays;

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
        byte[] out = new byte[(len / 4) * 3 + (rem == 0 ? 0 : rem - 1)];
        int o = 0;
        int i = start;
        int fullEnd = start + (len - rem);
        while (i < fullEnd) {
            int a = DECODE[s[i] & 0xff];
            int b = DECODE[s[i + 1] & 0xff];
            int c = DECODE[s[i + 2] & 0xff];
            int d = DECODE[s[i + 3] & 0xff];
            if ((a | b | c | d) < 0) {
                throw invalidCharacter();
            }
            int v = (a << 18) | (b << 12) | (c << 6) | d;
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
            i += 4;
        }
        if (rem == 2) {
            int a = value(s[i]);
            int b = value(s[i + 1]);
            if ((b & 0x0F) != 0) {
                throw new IllegalArgumentException("non-canonical base64url (trailing bits)");
            }
            out[o] = (byte) ((a << 2) | (b >> 4));
        } else if (rem == 3) {
            int a = value(s[i]);
            int b = value(s[i + 1]);
            int c = value(s[i + 2]);
            if ((c & 0x03) != 0) {
                throw new IllegalArgumentException("non-canonical base64url (trailing bits)");
            }
            out[o++] = (byte) ((a << 2) | (b >> 4));
            out[o] = (byte) ((b << 4) | (c >> 2));
        }
        return out;
    }

    /**
     * Encodes bytes without padding.
     *
     * @param bytes the bytes
     * @return the base64url text
     */
    public static String encode(byte[] bytes) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int value(byte c) {
        int v = DECODE[c & 0xff];
        if (v < 0) {
            throw invalidCharacter();
        }
        return v;
    }

    private static IllegalArgumentException invalidCharacter() {
        return new IllegalArgumentException("invalid base64url character");
    }
}
