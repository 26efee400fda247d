package run.getstack.sdk.testkit.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Internal, not for public use. SHA-256 helpers and constant-time comparison. */
public final class Hashes {
    private Hashes() {}

    /**
     * SHA-256.
     *
     * @param data input
     * @return the digest
     */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Lower-case hex SHA-256 of a string's UTF-8 bytes.
     *
     * @param s input
     * @return 64 hex chars
     */
    public static String sha256Hex(String s) {
        return HexFormat.of().formatHex(sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Lower-case hex SHA-256 of bytes.
     *
     * @param data input
     * @return 64 hex chars
     */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256(data));
    }

    /**
     * Constant-time equality.
     *
     * @param a first
     * @param b second
     * @return whether equal
     */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /**
     * The first 8 hex chars of a value's SHA-256, for logging ids without revealing them.
     *
     * @param s the value
     * @return a short fingerprint
     */
    public static String fingerprint(String s) {
        return sha256Hex(s).substring(0, 8);
    }
}
