package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.DetectorConfig;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.proxy.JdkProxy;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * An in-memory fake of the STACK control plane, served over real HTTP on a local port, implementing the
 * project's wire protocol ({@code docs/wire-protocol.md}): agents, grants, passports (Ed25519-signed JWTs with
 * rotation and grace), services and envelope-encrypted credentials, leases, the proxy, a hash-chained audit log,
 * revocation status and feed, and detectors with security events.
 *
 * <pre>{@code
 * TestClock clock = TestClock.create();
 * try (FakeControlPlane fake = FakeControlPlane.builder().clock(clock).start()) {
 *     String agent = fake.seed().agent("research-bot");
 *     // point the SDK at fake.baseUrl() with fake.operatorApiKey()
 * }
 * }</pre>
 *
 * <p>Thread-safe. Every time decision (expiry, TTLs, detector windows, audit timestamps) uses the configured
 * clock. Only the HTTP server's own threads and the proxy's upstream client threads are created; {@link #close()}
 * stops both.
 */
public final class FakeControlPlane implements AutoCloseable {
    /** Default passport issuer, as STACK's. */
    public static final String DEFAULT_ISSUER = "https://api.getstack.run";
    /** Default time a retired signing key stays in the JWKS. */
    public static final Duration DEFAULT_KEY_GRACE = Duration.ofHours(1);
    /** Largest request body accepted; larger ones get 413 {@code PAYLOAD_TOO_LARGE}. */
    public static final long MAX_REQUEST_BODY_BYTES = 1_048_576;
    /** Default upstream timeout of the proxy. */
    public static final Duration DEFAULT_PROXY_TIMEOUT = Duration.ofSeconds(30);
    /** Largest {@link #serverClockOffset(Duration)} either way. */
    public static final Duration MAX_SERVER_CLOCK_OFFSET = Duration.ofHours(24);
    /** Name of the default operator seeded at start. */
    public static final String DEFAULT_OPERATOR_NAME = "default";

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final MockWebServer server;
    private final ExecutorService proxyExecutor;
    private final Engine engine;
    private final Clock clock;
    private final ServerClock serverClock;
    private final String operatorId;
    private final String operatorApiKey;
    private final Faults faults;
    private final RequestJournal journal = new RequestJournal();
    private final DetectorConfig detectorConfig;
    private final Detectors detectors;
    private final Seed seed;
    private final MissionOwner owner;
    private final AuditLog auditLog;
    private final FakeIdentity identity;
    private final FakeDropoffs dropoffs;
    private final String baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final boolean stackV1Only;
    private final String serverLogKey;

    private FakeControlPlane(Builder b) {
        this.clock = b.clock;
        this.serverClock = new ServerClock(b.clock);
        this.faults = new Faults(b.clock);
        int n = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.proxyExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stack-fake-" + n + "-proxy-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.detectorConfig = new DetectorConfig();
        this.detectors = new Detectors(detectorConfig);
        this.stackV1Only = b.stackV1Only;
        this.engine = new Engine(
                serverClock,
                b.issuer,
                detectorConfig,
                b.keyGrace,
                new JdkProxy(proxyExecutor, b.proxyTimeout),
                b.stackV1Only);
        String key = b.operatorApiKey != null ? b.operatorApiKey : "sk_live_op_" + Engine.newId("", 40);
        this.operatorApiKey = key;
        this.operatorId = engine.createOperator(DEFAULT_OPERATOR_NAME, key);
        this.seed = new Seed(engine, operatorId);
        this.owner = new MissionOwner(engine, operatorId);
        this.auditLog = new AuditLog(engine, operatorId);
        this.identity = new FakeIdentity(engine, operatorId);
        this.dropoffs = new FakeDropoffs(engine, operatorId);
        this.server = new MockWebServer();
        server.setBodyLimit(MAX_REQUEST_BODY_BYTES + 1);
        server.setServerSocketFactory(new BodyGuardSocketFactory());
        server.setDispatcher(
                new HttpFront(engine, faults, journal, serverClock, MAX_REQUEST_BODY_BYTES, this::drainServerQueue));
        try {
            server.start(InetAddress.getLoopbackAddress(), b.port);
        } catch (IOException e) {
            proxyExecutor.shutdownNow();
            throw new UncheckedIOException("fake control plane could not listen on port " + b.port, e);
        }
        this.serverLogKey = ServerLogFilter.register(server);
        String host = InetAddress.getLoopbackAddress().getHostAddress();
        this.baseUrl = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.getPort();
    }

    /**
     * A builder with every default.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a fake with every default (system clock, any free port).
     *
     * @return the running fake
     */
    public static FakeControlPlane start() {
        return builder().start();
    }

    private void drainServerQueue() {
        try {
            while (server.takeRequest(0, TimeUnit.NANOSECONDS) != null) {
                // MockWebServer keeps every request; the journal is our record, so drop its copies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The base URL, e.g. {@code http://127.0.0.1:54321} (no trailing slash; endpoints are under {@code /v1}).
     *
     * @return the URL
     */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The port the fake listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getPort();
    }

    /**
     * The API key of the default operator seeded at start (a secret: do not log it).
     *
     * @return {@code sk_live_op_…}
     */
    public String operatorApiKey() {
        return operatorApiKey;
    }

    /**
     * The default operator's id.
     *
     * @return {@code op_…}
     */
    public String operatorId() {
        return operatorId;
    }

    /**
     * The configured clock; every time decision of the fake uses it plus the {@linkplain #serverClockOffset()
     * server clock offset} (zero unless set).
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Plays a server whose clock runs ahead of (positive) or behind (negative) the configured clock: from now on
     * the {@code Date} header, {@code issued_at}, {@code expires_at}, the tokens' {@code iat}/{@code exp} and every
     * expiry decision of the fake use the configured clock plus this offset, as a real control plane with a skewed
     * clock would. {@link #reset()} sets it back to zero.
     *
     * <pre>{@code
     * fake.serverClockOffset(Duration.ofMinutes(10)); // the server's clock is 10 min ahead of the client's
     * }</pre>
     *
     * @param offset at most 24 h either way
     */
    public void serverClockOffset(Duration offset) {
        Objects.requireNonNull(offset, "offset");
        if (offset.abs().compareTo(MAX_SERVER_CLOCK_OFFSET) > 0) {
            throw new IllegalArgumentException("offset must be within 24 h either way: " + offset);
        }
        serverClock.offset(offset);
    }

    /**
     * The current {@linkplain #serverClockOffset(Duration) server clock offset}.
     *
     * @return the offset, zero unless set
     */
    public Duration serverClockOffset() {
        return serverClock.offset();
    }

    /**
     * Every route the fake declares, with its origin ({@link RouteOrigin#STACK_V1}, {@link
     * RouteOrigin#STACK_LIVE_INFERRED} or {@link RouteOrigin#EXTENSION}), in declaration order. Under {@link
     * Builder#stackV1Only()} the extension routes are still listed but answer 404 {@code NOT_FOUND}.
     *
     * @return the routes
     */
    public List<FakeRoute> routes() {
        return engine.routes();
    }

    /**
     * Whether the project's extension routes are switched off ({@link Builder#stackV1Only()}).
     *
     * @return the flag
     */
    public boolean isStackV1Only() {
        return stackV1Only;
    }

    /**
     * The owner's side of the default operator's missions: decide a paused mission ({@code raise}, {@code
     * continue}, {@code close}) and read a mission's state.
     *
     * @return the owner hooks
     */
    public MissionOwner owner() {
        return owner;
    }

    /**
     * Seeds a control policy of the default operator for one agent, or the account default (wire protocol §15).
     *
     * @param agentId the agent, or null for the account default that applies to agents without their own policy
     * @return the policy builder; {@link ControlPolicySeed#apply()} creates or revises it
     */
    public ControlPolicySeed controlPolicy(@Nullable String agentId) {
        return new ControlPolicySeed(engine, operatorId, agentId);
    }

    /**
     * The person at the identity provider: approves or rejects the default operator's verification sessions (wire
     * protocol §10.2).
     *
     * @return the provider hooks
     */
    public FakeIdentity identity() {
        return identity;
    }

    /**
     * Registers a skill in the fake's marketplace (wire protocol §10.3), or returns the one of that name; configure
     * it with the returned handle. {@link #reset()} removes every skill.
     *
     * <pre>{@code
     * fake.skill("summarise").priceCents(25).handler(in -> Map.of("summary", "short"));
     * }</pre>
     *
     * @param name the skill's name, 1 to 64 characters
     * @return the skill
     */
    public FakeSkill skill(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 64) {
            throw new IllegalArgumentException("name: must be 1 to 64 characters");
        }
        return new FakeSkill(engine, engine.locked(() -> engine.skills().register(name)));
    }

    /**
     * Sets the default operator's wallet, from which paid skills are charged (402 {@code INSUFFICIENT_CREDITS} when it
     * holds less than a skill's price). Starts at 0; {@link #reset()} sets it back to 0.
     *
     * @param cents not negative
     */
    public void walletCents(long cents) {
        if (cents < 0) {
            throw new IllegalArgumentException("cents: must not be negative");
        }
        engine.locked(() -> {
            engine.skills().wallet(operatorId, cents);
            return cents;
        });
    }

    /**
     * Seeding helpers: operators, agents, connections, grants, missions and passports.
     *
     * @return the seeder
     */
    public Seed seed() {
        return seed;
    }

    /**
     * The default operator's drop-offs as the fake stores them (sealed packages, status), for tests.
     *
     * @return the drop-off view
     */
    public FakeDropoffs dropoffs() {
        return dropoffs;
    }

    /**
     * Fault injection.
     *
     * @return the faults registry
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Every request received.
     *
     * @return the journal
     */
    public RequestJournal journal() {
        return journal;
    }

    /**
     * The audit log.
     *
     * @return the audit view
     */
    public AuditLog auditLog() {
        return auditLog;
    }

    /**
     * Detector settings.
     *
     * @return the settings
     */
    public Detectors detectors() {
        return detectors;
    }

    /**
     * Every security event (alert) raised so far, oldest first, across operators.
     *
     * @return a snapshot
     */
    public List<SecurityEvent> securityEvents() {
        return engine.securityEvents();
    }

    /**
     * Whether an agent has been blocked from receiving passports (by a detector block or a blocked checkout).
     *
     * @param agentId agent
     * @return the flag
     */
    public boolean isPassportBlocked(String agentId) {
        return engine.isPassportBlocked(agentId);
    }

    /**
     * Whether a passport is revoked.
     *
     * @param jti passport
     * @return the flag
     */
    public boolean isRevoked(String jti) {
        return engine.isRevoked(jti);
    }

    /**
     * How many {@code GET /v1/revocations?wait=…} long-polls are currently parked waiting for an event; lets a
     * test revoke exactly when a poll is held, without sleeping.
     *
     * @return the count
     */
    public int parkedRevocationPolls() {
        return engine.feedWaiters();
    }

    /**
     * Starts signing with a fresh Ed25519 key; the previous key stays in the JWKS for the grace period (on the
     * fake's clock).
     *
     * @return the new key's kid
     */
    public String rotateSigningKey() {
        return engine.rotateSigningKey();
    }

    /**
     * Changes the retired-key grace period.
     *
     * @param grace not negative
     */
    public void signingKeyGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        engine.keyGrace(grace);
    }

    /**
     * The keys currently listed in the JWKS, current first.
     *
     * @return the keys
     */
    public List<SigningKeyInfo> signingKeys() {
        List<SigningKeyInfo> out = new ArrayList<>();
        for (Object[] row : engine.signingKeyRows()) {
            out.add(new SigningKeyInfo((String) row[0], (PublicKey) row[3], (Instant) row[1], (Instant) row[2]));
        }
        return out;
    }

    /**
     * The JWKS document as served at {@code /v1/.well-known/jwks.json}.
     *
     * @return JSON text
     */
    public String jwks() {
        return Json.write(engine.jwks());
    }

    /**
     * TEST HOOK for attack tests: signs arbitrary header and claims with the fake's current signing key.
     *
     * @param header JOSE header members (e.g. {@code alg}, {@code kid})
     * @param claims claims
     * @return a compact JWS
     */
    public String mintToken(Map<String, ?> header, Map<String, ?> claims) {
        return engine.mint(Json.MAPPER.valueToTree(header), Json.MAPPER.valueToTree(claims));
    }

    /**
     * TEST HOOK for attack tests: signs arbitrary header and claims with any Ed25519 private key.
     *
     * @param header header
     * @param claims claims
     * @param key an Ed25519 private key
     * @return a compact JWS
     */
    public String mintToken(Map<String, ?> header, Map<String, ?> claims, PrivateKey key) {
        return Engine.mint(Json.MAPPER.valueToTree(header), Json.MAPPER.valueToTree(claims), key);
    }

    /**
     * The current signing key's kid.
     *
     * @return kid
     */
    public String currentKid() {
        return engine.currentKid();
    }

    /**
     * The signed claims of an issued passport, as a template for {@link #mintToken}.
     *
     * @param jti passport
     * @return a mutable copy of the claims (nested objects as maps)
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> passportClaims(String jti) {
        ObjectNode c = engine.passportClaims(jti);
        return Json.MAPPER.convertValue(c, Map.class);
    }

    /**
     * Clears all state (agents, connections, passports, leases, audit, events, feed, journal, faults (releasing any
     * held request), detector settings, retired keys, the server clock offset) but keeps the default operator, its key and the current signing key. Does not touch
     * the clock.
     */
    public void reset() {
        engine.reset(List.of(operatorId));
        faults.clear();
        journal.clear();
        serverClock.offset(Duration.ZERO);
        detectorConfig.reset();
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return the flag
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Stops the HTTP server and the proxy threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        engine.wakeWaiters();
        faults.clear();
        server.close();
        ServerLogFilter.unregister(serverLogKey);
        proxyExecutor.shutdownNow();
    }

    @Override
    public String toString() {
        return "FakeControlPlane[" + baseUrl + ", operator=" + operatorId + (stackV1Only ? ", STACK v1 only" : "")
                + (closed.get() ? ", closed" : "") + "]";
    }

    /** Configures and starts a {@link FakeControlPlane}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private String issuer = DEFAULT_ISSUER;
        private int port;
        private Duration keyGrace = DEFAULT_KEY_GRACE;
        private Duration proxyTimeout = DEFAULT_PROXY_TIMEOUT;
        private @Nullable String operatorApiKey;
        private boolean stackV1Only;

        private Builder() {}

        /**
         * Behaves as the hosted STACK is documented to: every route of the project's own extensions (leases, the
         * revocation feed and status, client audit ingest, service disconnect; see {@link FakeControlPlane#routes()}) answers exactly
         * as an unknown route does (404 {@code NOT_FOUND}), while STACK's routes, the inferred paths of its live
         * tools included, keep working. Use it to test an SDK's fallbacks (wire protocol §11).
         *
         * @return this
         */
        public Builder stackV1Only() {
            this.stackV1Only = true;
            return this;
        }

        /**
         * The clock for every time decision; use a {@link TestClock} in tests.
         *
         * @param clock the clock
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The passport {@code iss}; default {@link #DEFAULT_ISSUER}.
         *
         * @param issuer non-blank
         * @return this
         */
        public Builder issuer(String issuer) {
            Objects.requireNonNull(issuer, "issuer");
            if (issuer.isBlank()) {
                throw new IllegalArgumentException("issuer must not be blank");
            }
            this.issuer = issuer;
            return this;
        }

        /**
         * The port; 0 (default) picks a free one.
         *
         * @param port 0–65535
         * @return this
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0-65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How long a retired signing key stays in the JWKS; default {@link #DEFAULT_KEY_GRACE}.
         *
         * @param grace not negative
         * @return this
         */
        public Builder signingKeyGrace(Duration grace) {
            Objects.requireNonNull(grace, "signingKeyGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("signingKeyGrace must not be negative");
            }
            this.keyGrace = grace;
            return this;
        }

        /**
         * The proxy's upstream timeout (real time); default {@link #DEFAULT_PROXY_TIMEOUT}.
         *
         * @param timeout positive
         * @return this
         */
        public Builder proxyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "proxyTimeout");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("proxyTimeout must be positive");
            }
            this.proxyTimeout = timeout;
            return this;
        }

        /**
         * Fixes the default operator's API key instead of generating one.
         *
         * @param apiKey must start with {@code sk_live_}
         * @return this
         */
        public Builder operatorApiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "operatorApiKey");
            if (!apiKey.startsWith("sk_live_") || apiKey.length() < 16 || apiKey.length() > 256) {
                throw new IllegalArgumentException("operatorApiKey must start with sk_live_ and be 16-256 chars");
            }
            this.operatorApiKey = apiKey;
            return this;
        }

        /**
         * Starts the fake.
         *
         * @return the running fake
         */
        public FakeControlPlane start() {
            return new FakeControlPlane(this);
        }

        @Override
        public String toString() {
            return "FakeControlPlane.Builder[clock=" + clock + ", issuer=" + issuer + ", port=" + port
                    + ", signingKeyGrace=" + keyGrace + ", proxyTimeout=" + proxyTimeout + ", stackV1Only="
                    + stackV1Only
                    + ", operatorApiKey="
                    + (operatorApiKey == null ? "generated" : "<redacted>") + "]";
        }
    }
}
