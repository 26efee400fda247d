package run.getstack.sdk.testkit.internal.crypto;

import java.util.Arrays;

/**
 * Internal, not for public use. One envelope-encrypted secret: the ciphertext under a random data key (DEK), and
 * that DEK wrapped by the tenant's key encryption key. Both layers are AES-256-GCM with 96-bit random nonces.
 * {@link #toString()} shows sizes only.
 */
public final class Envelope {
    private final byte[] wrappedDek;
    private final byte[] dekNonce;
    private final byte[] ciphertext;
    private final byte[] nonce;

    Envelope(byte[] wrappedDek, byte[] dekNonce, byte[] ciphertext, byte[] nonce) {
        this.wrappedDek = wrappedDek.clone();
        this.dekNonce = dekNonce.clone();
        this.ciphertext = ciphertext.clone();
        this.nonce = nonce.clone();
    }

    byte[] wrappedDek() {
        return wrappedDek.clone();
    }

    byte[] dekNonce() {
        return dekNonce.clone();
    }

    /**
     * The encrypted payload (ciphertext plus GCM tag).
     *
     * @return a copy
     */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    byte[] nonce() {
        return nonce.clone();
    }

    /**
     * A copy with one ciphertext byte flipped, for tamper tests.
     *
     * @return the tampered envelope
     */
    public Envelope withFlippedCiphertextByte() {
        byte[] c = ciphertext.clone();
        c[0] ^= 1;
        return new Envelope(wrappedDek, dekNonce, c, nonce);
    }

    @Override
    public String toString() {
        return "Envelope[wrappedDek=" + wrappedDek.length + "B, ciphertext=" + ciphertext.length + "B]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e
                && Arrays.equals(wrappedDek, e.wrappedDek)
                && Arrays.equals(ciphertext, e.ciphertext)
                && Arrays.equals(nonce, e.nonce)
                && Arrays.equals(dekNonce, e.dekNonce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ciphertext);
    }
}
