package run.getstack.sdk.testkit.internal.crypto;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Internal, not for public use. Ed25519: keys and verification with the JDK provider; the Nimbus forms of keys the
 * fake signs and publishes with.
 */
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
     * The Nimbus JWK of a private key (with its public part derived by Tink), for Nimbus's {@code Ed25519Signer}.
     *
     * @param key an Ed25519 private key of any provider
     * @return the key pair JWK
     * @throws IllegalArgumentException if it is not an Ed25519 private key
     */
    public static OctetKeyPair nimbusKey(PrivateKey key) {
        byte[] seed = seed(key);
        try {
            byte[] publicKey = com.google.crypto.tink.subtle.Ed25519Sign.KeyPair.newKeyPairFromSeed(seed)
                    .getPublicKey();
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(publicKey))
                    .d(Base64URL.encode(seed))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * The public JWK of a signing key as Nimbus writes it: {@code kty OKP}, {@code crv Ed25519}, {@code x}, {@code
     * kid}, {@code use sig}, {@code alg EdDSA}.
     *
     * @param key the public key
     * @param kid its key id
     * @return the JWK members
     */
    public static java.util.Map<String, Object> nimbusPublicJwk(PublicKey key, String kid) {
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawPublic(key)))
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.EdDSA)
                .build()
                .toPublicJWK()
                .toJSONObject();
    }

    private static byte[] seed(PrivateKey key) {
        PrivateKey k = key;
        if (!(k instanceof EdECPrivateKey)) {
            try {
                k = (PrivateKey) KeyFactory.getInstance("Ed25519").translateKey(key);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("not an Ed25519 private key", e);
            }
        }
        if (!(k instanceof EdECPrivateKey ed)
                || ed.getBytes().isEmpty()
                || ed.getBytes().get().length != 32) {
            throw new IllegalArgumentException("not an Ed25519 private key with a 32-byte seed");
        }
        return ed.getBytes().get();
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
