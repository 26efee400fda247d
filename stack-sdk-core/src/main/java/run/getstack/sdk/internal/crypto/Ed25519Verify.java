package run.getstack.sdk.internal.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. One Ed25519 public key, decoded and validated once, that verifies pure Ed25519
 * (RFC 8032, no context, no prehash) signatures.
 *
 * <p>The key is decoded with BouncyCastle's full validation (canonical encoding, on the curve, not of small order)
 * and kept as BouncyCastle's decoded point, so each {@link #verify} skips the point decompression. Signature checks
 * are BouncyCastle's: S must be canonical ({@code S < L}) and R must be canonically encoded, so malleable signatures
 * are rejected. Immutable and thread-safe.
 */
public final class Ed25519Verify {
    /** Length of an encoded public key in bytes. */
    public static final int PUBLIC_KEY_SIZE = Ed25519.PUBLIC_KEY_SIZE;

    /** Length of a signature in bytes. */
    public static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

    private final byte[] encoded;
    private final Ed25519.PublicPoint point;

    private Ed25519Verify(byte[] encoded, Ed25519.PublicPoint point) {
        this.encoded = encoded;
        this.point = point;
    }

    /**
     * Decodes and validates a public key.
     *
     * @param publicKey the 32-byte RFC 8032 encoding (copied)
     * @return the key
     * @throws IllegalArgumentException if the key is not 32 bytes, not a canonical point encoding, not on the curve
     *     or of small order
     */
    public static Ed25519Verify fromPublicKey(byte[] publicKey) {
        if (publicKey.length != PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException(
                    "Ed25519 public key must be " + PUBLIC_KEY_SIZE + " bytes, was " + publicKey.length);
        }
        byte[] copy = publicKey.clone();
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid Ed25519 public key");
        }
        return new Ed25519Verify(copy, point);
    }

    /**
     * Verifies a signature over a whole message.
     *
     * @param message the signed message
     * @param signature the 64-byte signature
     * @return true if and only if the signature is valid for this key and message
     */
    public boolean verify(byte[] message, byte[] signature) {
        return verify(message, 0, message.length, signature);
    }

    /**
     * Verifies a signature over part of an array.
     *
     * @param message the array holding the signed message
     * @param offset where the message starts
     * @param length the message length
     * @param signature the 64-byte signature; any other length is simply invalid
     * @return true if and only if the signature is valid for this key and message
     */
    public boolean verify(byte[] message, int offset, int length, byte[] signature) {
        if (signature.length != SIGNATURE_SIZE) {
            return false;
        }
        if (offset < 0 || length < 0 || offset > message.length - length) {
            throw new IndexOutOfBoundsException("message range out of bounds");
        }
        return Ed25519.verify(signature, 0, point, message, offset, length);
    }

    /**
     * Returns a copy of the 32-byte key encoding.
     *
     * @return the encoded key
     */
    public byte[] encoded() {
        return encoded.clone();
    }

    /**
     * Tells whether another key has the same encoding (constant time).
     *
     * @param other the other key
     * @return true if both encode the same point
     */
    public boolean sameKey(Ed25519Verify other) {
        return MessageDigest.isEqual(encoded, other.encoded);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Ed25519Verify other && sameKey(other);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "Ed25519Verify[public key]";
    }
}
