package run.getstack.sdk.agentkey.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;

/**
 * Internal, not for public use. The bearer source of a client in agent-key mode: it signs a fresh 60-second EdDSA
 * JWT ({@code iss=stack-sdk, sub=<agent>, aud=stack:agent, iat, nbf=iat, exp=iat+60, jti=random}) for every HTTP
 * attempt with the agent's Ed25519 key.
 *
 * <p>The key comes from the agent's key file ({@code {agent_id, kty, crv, x, d, created_at}}, owner-only). When the
 * file does not exist, the first call enrolls (once, under a lock): it asks for a challenge and enrolls a new key
 * generated here, authenticated with the operator key; the private key goes to a temporary file created with
 * permissions {@code rw-------} (set at creation, never widened), which is moved into place only once STACK has
 * accepted the key. When the enrollment call fails with its outcome unknown (sent, answer lost: a timeout, a cut
 * connection, a 5xx), the server may hold the new key, so the private key is kept in {@code <key file>.pending}
 * (deleting the only copy would lock the agent out for good); the next attempt compares the server's enrolled key
 * ({@code public_key_jwk}, or a call signed with the kept key where the server does not report it) with the kept one
 * and adopts it as the key file, or discards it and enrolls afresh. An existing file must be a regular file readable by its owner only, for this agent, with a
 * private key that matches its public key; otherwise the client refuses it.
 *
 * <p>Enrolling replaces the agent's key on the server at once, so a second copy of an agent with another key file
 * would lock the first copy out. Before enrolling, the agent object ({@code GET /v1/agents/{id}}, its {@code
 * public_key_jwk}) is read: if the agent already has a key, enrollment is refused with a {@link
 * StackConfigurationException} unless re-enrollment was explicitly allowed. When the server does not report the
 * member at all (it is this project's extension of STACK's agent object), enrollment proceeds as before. A {@code
 * 401} whose reason is {@code bad_signature} on a call signed with the agent key says that the key may have been
 * replaced.
 */
public final class AgentKeyAuth implements Transport.ExplainingBearer {
    /** Lifetime of each agent JWT: 60 s. */
    public static final long JWT_LIFETIME_SECONDS = 60;

    private static final int MAX_KEY_FILE_BYTES = 4096;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final String agentId;
    private final Path keyFile;
    private final java.util.function.@Nullable Supplier<Secret> operatorKey;
    private final boolean allowReEnrollment;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock enrollLock = new ReentrantLock();

    /** One lock per key file in this JVM (a file lock cannot be taken twice by one process). */
    private static final ConcurrentHashMap<Path, ReentrantLock> PATH_LOCKS = new ConcurrentHashMap<>();

    /** Told of every forced write ({@code "file <name>"}, {@code "dir <name>"}), for tests. */
    private volatile java.util.function.Consumer<String> syncListener = what -> {};

    private volatile @Nullable Ed25519PrivateKeyParameters key;
    private volatile @Nullable Transport transport;

    /**
     * Creates the source and loads the key file if it exists.
     *
     * @param agentId the agent
     * @param keyFile the key file
     * @param operatorKey the operator credential for enrollment (an API key, or access tokens from the credentials
     *     file), or null if the key file must already exist
     * @param allowReEnrollment whether to enroll a new key for an agent that already has one (replacing it)
     * @param clock the client's clock
     * @throws StackConfigurationException if the file exists but is unusable, or is absent with no operator key
     */
    public AgentKeyAuth(
            String agentId,
            Path keyFile,
            java.util.function.@Nullable Supplier<Secret> operatorKey,
            boolean allowReEnrollment,
            Clock clock) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.operatorKey = operatorKey;
        this.allowReEnrollment = allowReEnrollment;
        this.clock = Objects.requireNonNull(clock, "clock");
        if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            this.key = load(agentId, keyFile);
        } else if (operatorKey == null) {
            throw new StackConfigurationException("agentKeyFile: " + keyFile
                    + " does not exist and no apiKey (or STACK_API_KEY) is set to enroll the agent's key");
        }
    }

    /**
     * Tells whether a key file exists (so that no operator key is needed).
     *
     * @param keyFile the key file
     * @return true if it exists
     */
    public static boolean exists(Path keyFile) {
        return Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Connects the transport used for enrollment (set once by the client after building it).
     *
     * @param transport the client's transport
     */
    public void transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Tells whether the agent key is loaded.
     *
     * @return whether the key is loaded (enrolled)
     */
    public boolean enrolled() {
        return key != null;
    }

    /**
     * Returns the public key as base64url ({@code x} of the JWK), enrolling first if needed.
     *
     * @return the public key
     */
    public String publicKey() {
        return B64.encodeToString(privateKey().generatePublicKey().getEncoded());
    }

    /**
     * Signs a fresh agent JWT; enrolls first if no key exists yet.
     *
     * @return the JWT
     */
    @Override
    public Secret get() {
        return signedJwt(privateKey());
    }

    private Secret signedJwt(Ed25519PrivateKeyParameters k) {
        long iat = clock.instant().getEpochSecond();
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        ObjectNode claims = Json.object()
                .put("iss", "stack-sdk")
                .put("sub", agentId)
                .put("aud", "stack:agent")
                .put("iat", iat)
                .put("nbf", iat)
                .put("exp", iat + JWT_LIFETIME_SECONDS)
                .put("jti", B64.encodeToString(jti));
        String signingInput = B64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + B64.encodeToString(Json.write(claims));
        byte[] sig = sign(k, signingInput.getBytes(StandardCharsets.US_ASCII));
        return Secret.of(signingInput + "." + B64.encodeToString(sig));
    }

    private Ed25519PrivateKeyParameters privateKey() {
        Ed25519PrivateKeyParameters k = key;
        if (k != null) {
            return k;
        }
        try {
            enrollLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new run.getstack.sdk.StackInterruptedException("interrupted while waiting for enrollment", null, e);
        }
        try {
            k = key;
            if (k == null) {
                k = enroll();
                key = k;
            }
            return k;
        } finally {
            enrollLock.unlock();
        }
    }

    /**
     * Enrolls under a lock that other processes (and other clients in this JVM) respect, so only one of them
     * enrolls; the others load the key file it published.
     */
    private Ed25519PrivateKeyParameters enroll() {
        Path file = keyFile.toAbsolutePath().normalize();
        ReentrantLock local = PATH_LOCKS.computeIfAbsent(file, f -> new ReentrantLock());
        try {
            local.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new run.getstack.sdk.StackInterruptedException("interrupted while waiting for enrollment", null, e);
        }
        try {
            Path dir = file.getParent();
            if (dir == null) {
                throw new StackConfigurationException("agentKeyFile: has no parent directory");
            }
            try {
                createDirectories(dir);
                checkDirectory(dir);
            } catch (IOException e) {
                throw new StackException(
                        "agent key directory " + dir + " cannot be created: "
                                + e.getClass().getSimpleName(),
                        e);
            }
            Path lockFile = dir.resolve(file.getFileName() + ".lock");
            try (FileChannel ch = FileChannel.open(
                            lockFile,
                            Set.<OpenOption>of(
                                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                            ownerOnly(lockFile, OWNER_ONLY_FILE));
                    FileLock ignored = ch.lock()) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    return load(agentId, file); // another process enrolled while this one waited
                }
                Ed25519PrivateKeyParameters kept = adoptPending(file);
                if (kept != null) {
                    return kept;
                }
                return enrollLocked();
            } catch (IOException e) {
                throw new StackException(
                        "agent key enrollment could not lock " + lockFile + ": "
                                + e.getClass().getSimpleName(),
                        e);
            }
        } finally {
            local.unlock();
        }
    }

    /** Where a key whose enrollment outcome is unknown is kept: {@code <key file>.pending}. */
    private Path pendingFile() {
        Path file = keyFile.toAbsolutePath().normalize();
        return file.resolveSibling(file.getFileName() + ".pending");
    }

    /**
     * Settles an earlier enrollment whose outcome was unknown (sent, answer lost): if the server holds the kept key,
     * it becomes the key file; otherwise it is discarded and enrollment starts afresh. The server's key is read
     * from the agent object ({@code public_key_jwk}); where the server does not report it, a call signed with the
     * kept key tells (401: not enrolled). Runs under the enrollment lock.
     *
     * @return the adopted key, or null when there was none or it was discarded
     */
    private @Nullable Ed25519PrivateKeyParameters adoptPending(Path file) {
        Path pending = pendingFile();
        if (!Files.exists(pending, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Ed25519PrivateKeyParameters k;
        try {
            k = load(agentId, pending);
        } catch (StackConfigurationException e) {
            // the server may hold this key and this file may be its only copy: never delete it, say what to do
            throw new StackConfigurationException("agent key: an earlier enrollment's key is kept in " + pending
                    + " but cannot be used (" + e.getMessage() + "); make it owner-only and readable again, or"
                    + " remove it and allow re-enrollment explicitly");
        }
        Transport t = Objects.requireNonNull(transport, "transport not connected");
        String base = "/v1/agents/" + agentId;
        byte[] mine = k.generatePublicKey().getEncoded();
        Secret opKey = Objects.requireNonNull(operatorKey, "operator key").get();
        // 1: the server holds the kept key, 0: it holds another or none, -1: it does not say
        int held = t.execute(ApiRequest.get(base).bearer(opKey).build(), r -> {
            JsonNode jwk = r.requireObject().get("public_key_jwk");
            if (jwk == null) {
                return -1;
            }
            String x = jwk.isObject() ? JsonFields.optText(jwk, "x") : null;
            try {
                return x != null && MessageDigest.isEqual(B64D.decode(x), mine) ? 1 : 0;
            } catch (IllegalArgumentException e) {
                return 0;
            }
        });
        if (held < 0) {
            try {
                t.execute(ApiRequest.get(base).bearer(signedJwt(k)).build(), r -> r.requireObject());
                held = 1;
            } catch (StackAuthenticationException e) {
                held = 0;
            }
        }
        if (held == 0) {
            deleteQuietly(pending);
            return null;
        }
        try {
            try {
                Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(pending, file);
            }
        } catch (IOException e) {
            throw new StackException(
                    "agent key file could not be written (" + e.getClass().getSimpleName() + "); the enrolled key is"
                            + " kept in " + pending + ": move it to " + keyFile + " by hand",
                    e);
        }
        forceDirectory(file.getParent());
        return k;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the file is owner-only
        }
    }

    /**
     * Whether a failed enrollment call certainly did not enroll: the server answered with a 4xx refusal, or the call
     * was never sent (circuit open). Anything else (a timeout, a cut connection, a 5xx, a malformed 2xx) leaves the
     * outcome unknown.
     */
    private static boolean certainlyNotEnrolled(RuntimeException e) {
        if (e instanceof run.getstack.sdk.StackCircuitOpenException) {
            return true;
        }
        return e instanceof StackApiException api && api.httpStatus() >= 400 && api.httpStatus() < 500;
    }

    private Ed25519PrivateKeyParameters enrollLocked() {
        Transport t = Objects.requireNonNull(transport, "transport not connected");
        Secret opKey = Objects.requireNonNull(operatorKey, "operator key").get();
        String base = "/v1/agents/" + agentId;
        if (!allowReEnrollment) {
            refuseIfEnrolledElsewhere(t, opKey, base);
        }
        String[] challenge = t.execute(
                ApiRequest.post(base + "/enrollment-challenge", Json.object())
                        .bearer(opKey)
                        .build(),
                r -> {
                    JsonNode o = r.requireObject();
                    String id = JsonFields.text(o, "challenge_id");
                    String text = JsonFields.text(o, "challenge");
                    if (text.isEmpty() || text.length() > 1024 || id.length() > 128) {
                        throw new ResponseShapeException("enrollment challenge has an unexpected length");
                    }
                    return new String[] {id, text};
                });
        String challengeId = challenge[0];
        String challengeText = challenge[1];
        Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(random);
        byte[] pub = k.generatePublicKey().getEncoded();
        byte[] signature = sign(k, challengeText.getBytes(StandardCharsets.US_ASCII));
        Path temp = writeTemp(k, pub);
        boolean moved = false;
        boolean enrolled = false;
        boolean unknown = false;
        try {
            ObjectNode jwk =
                    Json.object().put("kty", "OKP").put("crv", "Ed25519").put("x", B64.encodeToString(pub));
            ObjectNode body = Json.object();
            body.set("public_key", jwk);
            body.put("challenge_id", challengeId);
            body.put("signed_challenge", B64.encodeToString(signature));
            try {
                t.execute(ApiRequest.post(base + "/enroll", body).bearer(opKey).build(), r -> r.requireObject());
            } catch (RuntimeException e) {
                if (certainlyNotEnrolled(e)) {
                    throw e;
                }
                // sent, answer lost: the server may hold the new key now. Deleting the only copy of its private
                // key would lock the agent out for good, so keep it; the next attempt settles it (adoptPending)
                unknown = true;
                if (e instanceof run.getstack.sdk.StackInterruptedException) {
                    throw e;
                }
                throw new StackException(
                        "agent key enrollment outcome is unknown ("
                                + e.getClass().getSimpleName() + ": "
                                + (e instanceof StackException se ? se.detailMessage() : "no detail")
                                + "); the new key is kept in " + temp
                                + " and checked against the server's enrolled key on the next attempt",
                        e);
            }
            enrolled = true;
            // under the enrollment lock, and the key file was absent: nothing is replaced. The temporary file was
            // forced to disk when written; forcing the directory after the move makes the new name durable too, so
            // a power loss cannot leave an empty or missing key file for a key the server already holds
            try {
                Files.move(temp, keyFile, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, keyFile);
            }
            moved = true;
            forceDirectory(temp.getParent());
            return k;
        } catch (IOException e) {
            // the server holds the new public key now: the temporary file is the only copy of the private key
            throw new StackException(
                    "agent key enrolled but the key file could not be written ("
                            + e.getClass().getSimpleName() + "); the key is kept in " + temp
                            + ": move it to " + keyFile + " by hand",
                    e);
        } finally {
            if (!moved && !enrolled && !unknown) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Refuses to enroll when the agent already has a key: enrolling would replace it and lock out every process that
     * holds the current key file, with no way back but to copy the new file to all of them.
     */
    private void refuseIfEnrolledElsewhere(Transport t, Secret opKey, String base) {
        boolean hasKey = t.execute(ApiRequest.get(base).bearer(opKey).build(), r -> {
            JsonNode jwk = r.requireObject().get("public_key_jwk");
            return jwk != null && !jwk.isNull();
        });
        if (hasKey) {
            throw new StackConfigurationException("agentKeyFile: agent " + agentId
                    + " is already enrolled with another key, and " + keyFile
                    + " does not exist; give this process that key file, or allow re-enrollment explicitly"
                    + " (StackClient.Builder.allowAgentKeyReEnrollment(true)), which replaces the key and locks out"
                    + " every process that holds the old one");
        }
    }

    /**
     * Says, on a {@code 401 bad_signature} for a call signed with this agent's key, that the key may have been
     * replaced (another process enrolled a new one).
     *
     * @param e the mapped failure
     * @return the failure with that hint
     */
    @Override
    public StackException explainRejection(StackApiException e) {
        if (e.httpStatus() != 401 || !"bad_signature".equals(e.reason())) {
            return e;
        }
        return new StackAuthenticationException(
                e.detailMessage() + "; the server no longer accepts the key in " + keyFile + " for agent " + agentId
                        + ": the key may have been replaced (another process enrolled a new key for this agent)."
                        + " Give every process of this agent the same key file",
                e.httpStatus(),
                e.errorCode(),
                e.requestId(),
                e.reason(),
                e.retryAfter().orElse(null),
                null);
    }

    private Path writeTemp(Ed25519PrivateKeyParameters k, byte[] pub) {
        byte[] seed = k.getEncoded();
        byte[] content = null;
        try {
            Path dir = keyFile.toAbsolutePath().getParent();
            if (dir == null) {
                throw new StackConfigurationException("agentKeyFile: has no parent directory");
            }
            createDirectories(dir);
            ObjectNode json = Json.object()
                    .put("agent_id", agentId)
                    .put("kty", "OKP")
                    .put("crv", "Ed25519")
                    .put("x", B64.encodeToString(pub))
                    .put("d", B64.encodeToString(seed))
                    .put("created_at", clock.instant().toString());
            content = Json.write(json);
            // a fixed name (under the enrollment lock, after adoptPending settled any earlier one), so that a key whose
            // enrollment outcome is unknown is found by the next attempt
            Path temp = pendingFile();
            try (FileChannel ch = FileChannel.open(
                    temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    ownerOnly(temp, OWNER_ONLY_FILE))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the bytes are on disk before the file can get its final name
                syncListener.accept("file " + temp.getFileName());
            }
            forceDirectory(dir); // the temporary file's entry too: it is the only copy once the server has the key
            return temp;
        } catch (IOException e) {
            throw new StackException(
                    "agent key file could not be created: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(seed, (byte) 0);
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    /**
     * Forces a directory's entries to disk where the platform allows it (Linux, macOS: an fsync of the directory
     * opened for reading); where it does not (Windows refuses to open a directory), the rename's durability is left
     * to the file system.
     */
    private void forceDirectory(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            syncListener.accept("dir " + dir.getFileName());
        } catch (IOException | UnsupportedOperationException e) {
            // not supported for directories on this platform
        }
    }

    /** Package-private, for tests: observes forced writes. */
    void syncListener(java.util.function.Consumer<String> listener) {
        this.syncListener = Objects.requireNonNull(listener, "listener");
    }

    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, ownerOnly(dir, OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // created concurrently
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path p, Set<PosixFilePermission> perms) {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(perms)};
        }
        // non-POSIX (Windows): the file inherits the user profile's ACLs
        return new FileAttribute<?>[0];
    }

    private static Ed25519PrivateKeyParameters load(String agentId, Path file) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new StackConfigurationException("agentKeyFile: " + file + " is not a regular file");
            }
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
                if (!OWNER_ONLY_FILE.containsAll(perms)) {
                    throw new StackConfigurationException("agentKeyFile: " + file + " has permissions "
                            + PosixFilePermissions.toString(perms) + "; it must be readable by its owner only (0600)");
                }
            }
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                checkDirectory(dir);
            }
            UserPrincipal owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal me = currentUser(file);
            if (me != null && !owner.equals(me)) {
                throw new StackConfigurationException(
                        "agentKeyFile: " + file + " is owned by " + owner.getName() + ", not by " + me.getName());
            }
            byte[] bytes = readBounded(file);
            byte[] seed = null;
            try {
                JsonNode json = Json.parse(bytes, 0, null);
                if (!agentId.equals(JsonFields.optText(json, "agent_id"))) {
                    throw new StackConfigurationException("agentKeyFile: " + file + " is not for agent " + agentId);
                }
                if (!"OKP".equals(JsonFields.optText(json, "kty"))
                        || !"Ed25519".equals(JsonFields.optText(json, "crv"))) {
                    throw new StackConfigurationException("agentKeyFile: " + file + " is not an Ed25519 key");
                }
                seed = B64D.decode(JsonFields.text(json, "d"));
                byte[] x = B64D.decode(JsonFields.text(json, "x"));
                if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE
                        || x.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                    throw new StackConfigurationException("agentKeyFile: " + file + " has a key of the wrong size");
                }
                Ed25519PrivateKeyParameters k = new Ed25519PrivateKeyParameters(seed, 0);
                if (!MessageDigest.isEqual(k.generatePublicKey().getEncoded(), x)) {
                    throw new StackConfigurationException(
                            "agentKeyFile: " + file + " has a private key that does not match its public key");
                }
                return k;
            } finally {
                Arrays.fill(bytes, (byte) 0);
                if (seed != null) {
                    Arrays.fill(seed, (byte) 0);
                }
            }
        } catch (IOException e) {
            throw new StackConfigurationException(
                    "agentKeyFile: " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        } catch (ResponseShapeException | IllegalArgumentException | StackException e) {
            if (e instanceof StackConfigurationException sce) {
                throw sce;
            }
            throw new StackConfigurationException("agentKeyFile: " + file + " is not a valid agent key file");
        }
    }

    /** Reads at most {@code MAX_KEY_FILE_BYTES} without following a link swapped in after the checks. */
    private static byte[] readBounded(Path file) throws IOException {
        try (SeekableByteChannel ch =
                Files.newByteChannel(file, Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            ByteBuffer buf = ByteBuffer.allocate(MAX_KEY_FILE_BYTES + 1);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading until full or end of file
            }
            if (!buf.hasRemaining()) {
                Arrays.fill(buf.array(), (byte) 0);
                throw new StackConfigurationException("agentKeyFile: " + file + " is larger than a key file");
            }
            byte[] bytes = Arrays.copyOf(buf.array(), buf.position());
            Arrays.fill(buf.array(), (byte) 0);
            return bytes;
        }
    }

    private static @Nullable UserPrincipal currentUser(Path file) throws IOException {
        String name = System.getProperty("user.name");
        if (name == null || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        return file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
    }

    /** A key file in a directory others can write to could be swapped or replaced: refuse it. */
    private static void checkDirectory(Path dir) throws IOException {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new StackConfigurationException("agentKeyFile: directory " + dir + " is writable by others ("
                    + PosixFilePermissions.toString(perms) + "); keep agent keys in a directory only you can write");
        }
    }

    private static byte[] sign(Ed25519PrivateKeyParameters k, byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, k);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String toString() {
        return "AgentKeyAuth{agentId=" + agentId + ", keyFile=" + keyFile + ", enrolled=" + enrolled()
                + ", allowReEnrollment=" + allowReEnrollment + '}';
    }
}
