package run.getstack.sdk;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (an API key, a passport token, a credential) that does not give itself away: {@link #toString()}
 * is {@code Secret[redacted sha256:1a2b3c4d]}, {@link #equals(Object)} compares in constant time, the class is not
 * {@link java.io.Serializable}, and {@link #close()} overwrites the value in memory.
 *
 * <p>The value is only available through {@link #revealPlaintext()}, named so that every place that handles the
 * plaintext stands out in review. The fingerprint in {@code toString()} is the first 8 hex digits of the SHA-256 of
 * the value's UTF-8 bytes: enough to tell two secrets apart in a log, not enough to recover a high-entropy value.
 *
 * <p>Thread-safe.
 */
public final class Secret implements AutoCloseable {
    /** The longest secret accepted, in characters. */
    public static final int MAX_LENGTH = 65_536;

    private final char[] value;
    private final String fingerprint;
    private final int hash;
    private boolean closed;

    private Secret(char[] value) {
        this.value = value;
        byte[] digest = sha256(value);
        this.fingerprint = hex(digest, 4);
        this.hash = ByteBuffer.wrap(digest).getInt();
        Arrays.fill(digest, (byte) 0);
    }

    /**
     * Wraps a secret string.
     *
     * @param value the secret; not empty, at most {@link #MAX_LENGTH} characters
     * @return a new secret holding a copy of the characters
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is empty or too long (the message never shows the value)
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        check(value.length());
        return new Secret(value.toCharArray());
    }

    /**
     * Wraps a secret held in a character array; the array is copied, so the caller may (and should) clear it.
     *
     * @param value the secret; not empty, at most {@link #MAX_LENGTH} characters
     * @return a new secret holding a copy of the characters
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is empty or too long
     */
    public static Secret of(char[] value) {
        Objects.requireNonNull(value, "value");
        check(value.length);
        return new Secret(value.clone());
    }

    private static void check(int length) {
        if (length == 0) {
            throw new IllegalArgumentException("secret value is empty");
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("secret value longer than " + MAX_LENGTH + " characters");
        }
    }

    /**
     * Returns the plaintext. Every call site is a place where the secret leaves this holder: send it, never log it.
     *
     * @return the secret as a string
     * @throws IllegalStateException if this secret was closed
     */
    public synchronized String revealPlaintext() {
        ensureOpen();
        return new String(value);
    }

    /**
     * Returns a copy of the plaintext characters, for callers that clear their copy after use.
     *
     * @return a new array with the secret's characters
     * @throws IllegalStateException if this secret was closed
     */
    public synchronized char[] revealPlaintextChars() {
        ensureOpen();
        return value.clone();
    }

    /**
     * Returns the number of characters in the secret; safe to log.
     *
     * @return the length
     */
    public int length() {
        return value.length;
    }

    /**
     * Returns the first 8 hex digits of the SHA-256 of the value: safe to log, stable for the same value.
     *
     * @return the fingerprint
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Overwrites the value in memory; later {@code reveal} calls throw. Idempotent. */
    @Override
    public synchronized void close() {
        Arrays.fill(value, '\0');
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("secret was closed");
        }
    }

    /**
     * Compares the values in constant time (for values of the same length). A closed secret equals only itself.
     *
     * @param o the other object
     * @return true if {@code o} is a {@code Secret} with the same value
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Secret other)) {
            return false;
        }
        byte[] mine;
        byte[] theirs;
        synchronized (this) {
            if (closed) {
                return false;
            }
            mine = utf8(value);
        }
        synchronized (other) {
            if (other.closed) {
                Arrays.fill(mine, (byte) 0);
                return false;
            }
            theirs = utf8(other.value);
        }
        try {
            return MessageDigest.isEqual(mine, theirs);
        } finally {
            Arrays.fill(mine, (byte) 0);
            Arrays.fill(theirs, (byte) 0);
        }
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /**
     * Returns {@code Secret[redacted sha256:<fingerprint>]}; never the value.
     *
     * @return the redacted form
     */
    @Override
    public String toString() {
        return "Secret[redacted sha256:" + fingerprint + "]";
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[bb.remaining()];
        bb.get(out);
        // overwrite the encoder's buffer too
        bb.clear();
        while (bb.hasRemaining()) {
            bb.put((byte) 0);
        }
        return out;
    }

    private static byte[] sha256(char[] chars) {
        byte[] bytes = utf8(chars);
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static String hex(byte[] bytes, int count) {
        StringBuilder sb = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
        }
        return sb.toString();
    }
}
