package run.getstack.sdk.testkit.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Internal, not for public use. Ed25519 with the JDK provider: keys, raw public bytes, sign, verify. */
public final class Ed25519 {
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {}

    /**
     * Generates a key pair.
     *
     * @return the pair
     */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this JDK", e);
        }
    }

    /**
     * The 32 raw public key bytes (RFC 8032).
     *
     * @param key an Ed25519 public key
     * @return the raw bytes
     */
    public static byte[] rawPublic(PublicKey key) {
        byte[] enc = key.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    /**
     * The JWK {@code x} member: base64url without padding of the raw public key.
     *
     * @param key an Ed25519 public key
     * @return the x value
     */
    public static String x(PublicKey key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(rawPublic(key));
    }

    /**
     * Rebuilds a public key from its 32 raw bytes.
     *
     * @param raw the raw key
     * @return the key
     * @throws IllegalArgumentException if the bytes are not a valid key
     */
    public static PublicKey fromRaw(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes");
        }
        byte[] enc = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
        System.arraycopy(raw, 0, enc, X509_PREFIX.length, 32);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(enc));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /**
     * Signs.
     *
     * @param key the private key
     * @param data the message
     * @return the 64-byte signature
     */
    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /**
     * Verifies; any malformed input counts as a failed verification.
     *
     * @param key the public key
     * @param data the message
     * @param signature the signature
     * @return whether it verifies
     */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
