package run.getstack.sdk.testkit.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Internal, not for public use. Envelope encryption with the JDK only: each secret is sealed with AES-256-GCM under
 * a fresh random data key (DEK); the DEK is wrapped with AES-256-GCM under the tenant's key encryption key. The
 * associated data (e.g. the credential reference) is bound into both layers, so an envelope moved to another
 * credential does not open.
 */
public final class EnvelopeCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private EnvelopeCipher() {}

    /**
     * Generates a new AES-256 tenant key.
     *
     * @return the key
     */
    public static SecretKey newTenantKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, RANDOM);
            return g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is not available in this JDK", e);
        }
    }

    /**
     * Seals a plaintext.
     *
     * @param plaintext the secret bytes (not retained)
     * @param tenantKey the tenant's key encryption key
     * @param aad associated data bound to the envelope
     * @return the envelope
     */
    public static Envelope seal(byte[] plaintext, SecretKey tenantKey, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(tenantKey, "tenantKey");
        byte[] dek = new byte[32];
        RANDOM.nextBytes(dek);
        try {
            byte[] nonce = nonce();
            byte[] ciphertext = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dek, "AES"), nonce, aad, plaintext);
            byte[] dekNonce = nonce();
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, tenantKey, dekNonce, aad, dek);
            return new Envelope(wrapped, dekNonce, ciphertext, nonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    /**
     * Opens an envelope.
     *
     * @param envelope the envelope
     * @param tenantKey the tenant's key encryption key
     * @param aad the associated data given at sealing
     * @return the plaintext
     * @throws EnvelopeException if the key is wrong or the envelope was tampered with
     */
    public static byte[] open(Envelope envelope, SecretKey tenantKey, byte[] aad) {
        byte[] dek = null;
        try {
            dek = gcm(Cipher.DECRYPT_MODE, tenantKey, envelope.dekNonce(), aad, envelope.wrappedDek());
        } catch (AEADBadTagException e) {
            throw new EnvelopeException("data key could not be unwrapped: wrong tenant key or tampered envelope", e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("data key could not be unwrapped", e);
        }
        try {
            return gcm(
                    Cipher.DECRYPT_MODE, new SecretKeySpec(dek, "AES"), envelope.nonce(), aad, envelope.ciphertext());
        } catch (AEADBadTagException e) {
            throw new EnvelopeException("ciphertext failed authentication: tampered envelope", e);
        } catch (GeneralSecurityException e) {
            throw new EnvelopeException("ciphertext could not be decrypted", e);
        } finally {
            Arrays.fill(dek, (byte) 0);
        }
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    private static byte[] gcm(int mode, SecretKey key, byte[] nonce, byte[] aad, byte[] input)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }
}
