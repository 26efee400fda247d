package run.getstack.sdk.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.internal.http.Json;

/**
 * Internal, not for public use. The operator's credentials file, {@code ~/.stack/credentials.json} (on Windows
 * {@code %USERPROFILE%\.stack\credentials.json}), written by STACK's CLI ({@code auth login}): a JSON object whose
 * {@code refresh_token} is exchanged for short access tokens (wire protocol §1.4). Other members are kept as they are
 * when the file is rewritten.
 *
 * <p>The file is untrusted input: at most {@link #MAX_BYTES}, a regular file (not a link), owner-only on POSIX, one
 * JSON object with a {@code refresh_token} of 1 to {@link #MAX_TOKEN_LENGTH} visible ASCII characters. A file that
 * breaks a rule is a {@link StackConfigurationException} naming the file and what is wrong, never its content.
 *
 * <p>The refresh token rotates on every use, so every exchange happens inside {@link #locked(Supplier)}: a lock of
 * this JVM per file and an OS file lock on a sibling {@code credentials.json.lock} (never on the credentials file
 * itself, which is replaced on every rewrite, so a lock on it would guard a file nobody opens any more). A rewrite
 * ({@link #write(Contents, Secret)}) writes a temporary file created owner-only, forces it to disk, moves it over the
 * file atomically and forces the directory where the platform allows it. Thread-safe.
 */
public final class CredentialsFile {
    /** The largest file read: 64 KiB. */
    public static final int MAX_BYTES = 64 * 1024;

    /** The longest refresh token accepted. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    /** The member holding the refresh token. */
    public static final String REFRESH_TOKEN = "refresh_token";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    /**
     * One lock per lock file in this JVM, keyed by its real path: an OS file lock cannot be taken twice by one
     * process, whatever path names the file.
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the file held when read: its members (the refresh token among them) and the refresh token.
     *
     * @param json the whole object, kept on rewrite
     * @param refreshToken the refresh token
     */
    public record Contents(ObjectNode json, Secret refreshToken) {
        @Override
        public String toString() {
            return "Contents[redacted]";
        }
    }

    private final Path file;
    private final Path lockFile;
    /** The key of this JVM's lock: the lock file through its directory's real path, as the OS lock sees it. */
    private final Path lockKey;

    private volatile Consumer<String> syncListener = what -> {};

    private CredentialsFile(Path file) {
        this.file = file.toAbsolutePath().normalize();
        Path dir = this.file.getParent();
        if (dir == null) {
            throw new StackConfigurationException("credentials file " + file + ": has no parent directory");
        }
        this.lockFile = dir.resolve(this.file.getFileName() + ".lock");
        Path key;
        try {
            key = dir.toRealPath().resolve(lockFile.getFileName());
        } catch (IOException e) {
            key = lockFile; // no directory yet: read() reports the missing file
        }
        this.lockKey = key;
    }

    /**
     * Returns where the credentials file is: {@code <home>/.stack/credentials.json}, where home is {@code
     * %USERPROFILE%} on Windows (when set) and the {@code user.home} property elsewhere.
     *
     * @param environment reads environment variables
     * @param osName the {@code os.name} property
     * @param userHome the {@code user.home} property, or null
     * @return the path, or null when no home directory is known
     */
    public static @Nullable Path defaultLocation(
            Function<String, @Nullable String> environment, @Nullable String osName, @Nullable String userHome) {
        String home = userHome;
        if (osName != null && osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
            String profile = environment.apply("USERPROFILE");
            if (profile != null && !profile.isBlank()) {
                home = profile;
            }
        }
        return home == null || home.isBlank() ? null : inHome(Path.of(home));
    }

    /**
     * Returns {@code <home>/.stack/credentials.json}.
     *
     * @param home a home directory
     * @return the path
     */
    public static Path inHome(Path home) {
        return home.resolve(".stack").resolve("credentials.json");
    }

    /**
     * Tells whether something exists at a path (a link counts: {@link #open(Path)} then refuses it).
     *
     * @param file the path
     * @return whether it exists
     */
    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens the file and checks that it is usable now (read and validated, not yet exchanged).
     *
     * @param file the credentials file
     * @return the handle
     * @throws StackConfigurationException naming the file and the problem
     */
    public static CredentialsFile open(Path file) {
        CredentialsFile f = new CredentialsFile(Objects.requireNonNull(file, "file"));
        f.read().refreshToken().close();
        return f;
    }

    /**
     * Returns the file's path.
     *
     * @return the absolute path
     */
    public Path path() {
        return file;
    }

    /**
     * Reads and validates the file.
     *
     * @return its contents
     * @throws StackConfigurationException naming the file and the problem, never the content
     */
    public Contents read() {
        byte[] bytes = null;
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw problem(
                        Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                                ? "is not a regular file (a link or a directory)"
                                : "does not exist");
            }
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!OWNER_ONLY_FILE.containsAll(perms)) {
                    throw problem("has permissions " + PosixFilePermissions.toString(perms)
                            + "; it must be readable and writable by its owner only (chmod 600)");
                }
            }
            bytes = readBounded();
            JsonNode root;
            try {
                root = Json.parse(bytes, 0, null);
            } catch (StackMalformedResponseException e) {
                throw problem("is not valid JSON");
            }
            if (!(root instanceof ObjectNode json)) {
                throw problem("is not a JSON object");
            }
            JsonNode token = json.get(REFRESH_TOKEN);
            if (token == null || token.isNull()) {
                throw problem("has no refresh_token");
            }
            if (!token.isTextual()) {
                throw problem("has a refresh_token that is not a string");
            }
            String value = token.asText();
            if (!validToken(value)) {
                throw problem("has a malformed refresh_token (must be 1 to " + MAX_TOKEN_LENGTH
                        + " visible ASCII characters)");
            }
            return new Contents(json, Secret.of(value));
        } catch (NoSuchFileException e) {
            throw problem("does not exist");
        } catch (IOException e) {
            throw problem("cannot be read (" + e.getClass().getSimpleName() + ")");
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Tells whether a token is 1 to {@link #MAX_TOKEN_LENGTH} visible ASCII characters.
     *
     * @param token the token
     * @return whether it is well-formed
     */
    static boolean validToken(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private byte[] readBounded() throws IOException {
        try (SeekableByteChannel ch =
                Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer buf = ByteBuffer.allocate(MAX_BYTES + 1);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // until full or end of file
            }
            if (!buf.hasRemaining()) {
                Arrays.fill(buf.array(), (byte) 0);
                throw problem("is larger than " + MAX_BYTES + " bytes");
            }
            byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
            Arrays.fill(buf.array(), (byte) 0);
            return bytes;
        }
    }

    /**
     * Runs an action holding this JVM's lock of the file and the OS lock of its sibling lock file, so that one
     * rotation (read, exchange, rewrite) at a time happens across every client and process that uses the file.
     *
     * @param action the action
     * @param <T> its result
     * @return what the action returned
     * @throws StackInterruptedException if interrupted while waiting for a lock
     */
    public <T> T locked(Supplier<T> action) {
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(lockKey, f -> new ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for the credentials file lock", null, e);
        }
        try (FileChannel ch = FileChannel.open(
                        lockFile,
                        Set.<OpenOption>of(
                                StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        ownerOnly(lockFile));
                FileLock ignored = ch.lock()) {
            return action.get();
        } catch (FileLockInterruptionException | ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for the credentials file lock", null, e);
        } catch (OverlappingFileLockException e) {
            // another handle of this JVM holds it under a name the real path does not unify (a hard link)
            throw new StackException(
                    "credentials file " + file + ": " + lockFile.getFileName()
                            + " is locked by another client of this process under another name",
                    e);
        } catch (IOException e) {
            throw new StackException(
                    "credentials file " + file + ": cannot lock " + lockFile.getFileName() + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        } finally {
            local.unlock();
        }
    }

    /**
     * Rewrites the file with a new refresh token, keeping its other members: a temporary file created owner-only
     * ({@code rw-------} on POSIX, set at creation), forced to disk, moved over the file atomically, then the
     * directory forced where the platform allows it. Call inside {@link #locked(Supplier)}.
     *
     * @param previous what was read before the exchange
     * @param refreshToken the new refresh token
     * @throws StackException if the file cannot be written (the new token is then lost: sign in again)
     */
    public void write(Contents previous, Secret refreshToken) {
        ObjectNode json = previous.json().deepCopy();
        json.put(REFRESH_TOKEN, refreshToken.revealPlaintext());
        byte[] content = Json.write(json);
        Path dir = Objects.requireNonNull(file.getParent());
        Path temp = dir.resolve(file.getFileName() + ".tmp-" + Long.toHexString(RANDOM.nextLong()));
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(
                    temp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly(temp))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the bytes are on disk before the file gets its final name
                syncListener.accept("file " + temp.getFileName());
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceDirectory(dir);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while rewriting credentials file " + file + "; the rotated refresh token is lost",
                    null,
                    e);
        } catch (IOException e) {
            throw new StackException(
                    "credentials file " + file + ": cannot be rewritten ("
                            + e.getClass().getSimpleName() + "); the rotated refresh token is lost: sign in again",
                    e);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is owner-only
                }
            }
        }
    }

    /** Forces a directory's entries to disk where the platform allows it (not on Windows). */
    private void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            syncListener.accept("dir " + dir.getFileName());
        } catch (IOException | UnsupportedOperationException e) {
            // not supported for directories on this platform
        }
    }

    /**
     * For tests: observes forced writes ({@code "file <name>"}, {@code "dir <name>"}).
     *
     * @param listener the observer
     */
    public void syncListener(Consumer<String> listener) {
        this.syncListener = Objects.requireNonNull(listener, "listener");
    }

    private static FileAttribute<?>[] ownerOnly(Path p) {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)};
        }
        return new FileAttribute<?>[0]; // non-POSIX (Windows): the file inherits the user profile's ACLs
    }

    private StackConfigurationException problem(String what) {
        return new StackConfigurationException("credentials file " + file + ": " + what);
    }

    @Override
    public String toString() {
        return "CredentialsFile{" + file + '}';
    }
}
