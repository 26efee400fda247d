package run.getstack.sdk.passport.internal;

import java.util.Arrays;

/**
 * Internal, not for public use. Strict base64url (RFC 4648 §5) without padding, as JWS compact serialization
 * requires: only {@code A-Z a-z 0-9 - _}, no {@code =}, no whitespace, no length of the form 4n+1, and the unused
 * low bits of the last character must be zero, so every byte string has exactly one accepted encoding.
 */
public final class Base64Url {
    private static final byte[] DECODE = new byte[128];

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
        return decode(s, 0, s.length());
    }

    /**
     * Decodes {@code s[start, end)}.
     *
     * @param s the text
     * @param start first character
     * @param end one past the last character
     * @return the bytes
     * @throws IllegalArgumentException if the range is not canonical unpadded base64url
     */
    public static byte[] decode(CharSequence s, int start, int end) {
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
            int v = (value(s.charAt(i)) << 18)
                    | (value(s.charAt(i + 1)) << 12)
                    | (value(s.charAt(i + 2)) << 6)
                    | value(s.charAt(i + 3));
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
            i += 4;
        }
        if (rem == 2) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            if ((b & 0x0F) != 0) {
                throw new IllegalArgumentException("non-canonical base64url (trailing bits)");
            }
            out[o] = (byte) ((a << 2) | (b >> 4));
        } else if (rem == 3) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
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

    private static int value(char c) {
        int v = c < 128 ? DECODE[c] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("invalid base64url character");
        }
        return v;
    }
}
