package run.getstack.sdk;

import static run.getstack.sdk.ClientChecks.AGENT_ID;
import static run.getstack.sdk.ClientChecks.keyProblem;
import static run.getstack.sdk.ClientChecks.parseBaseUrl;
import static run.getstack.sdk.ClientChecks.timeout;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import okhttp3.CertificatePinner;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.agent.Agents;
import run.getstack.sdk.approval.Approvals;
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditWriter;
import run.getstack.sdk.auditlog.AuditLog;
import run.getstack.sdk.credential.Credentials;
import run.getstack.sdk.dropoff.Dropoffs;
import run.getstack.sdk.identity.Identity;
import run.getstack.sdk.intent.Intents;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Tls;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.lease.Leases;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.Missions;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.Passports;
import run.getstack.sdk.passport.RevocationCheck;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.proxy.StackProxy;
import run.getstack.sdk.revocation.StackRevocationUnknownException;
import run.getstack.sdk.revocation.internal.RevocationFeed;
import run.getstack.sdk.revocation.internal.RevocationFollower;
import run.getstack.sdk.security.SecurityEvents;
import run.getstack.sdk.service.Services;
import run.getstack.sdk.skill.Skills;

/**
 * The client for STACK's v1 API. Build one per process (or per agent identity) with {@link #builder()}, share it
 * between threads, and {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * try (StackClient stack = StackClient.builder().agentId("agt_support_bot").build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Configuration.</b> Each setting has a default (public constants below). The credential comes from the first
 * of: {@link Builder#apiKey(String)}; the {@value #API_KEY_ENV} environment variable; the operator's credentials
 * file {@code ~/.stack/credentials.json} ({@code %USERPROFILE%\.stack\credentials.json} on Windows), written by
 * STACK's CLI ({@code auth login}), whose refresh token the client exchanges for 5-minute access tokens, refreshed
 * ahead of expiry, rewriting the file (owner-only, atomically) with each rotated refresh token. Every setter rejects a bad
 * value at once with {@link IllegalArgumentException} naming the setting; {@link Builder#build()} checks what depends
 * on several settings or on the environment and fails with {@link StackConfigurationException} naming the setting.
 * The base URL must be {@code https://}; {@code http://} is accepted only for a loopback host written literally ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}), for local fakes.
 *
 * <p><b>Calls.</b> All calls go through one transport: per-attempt timeouts (connect, read, whole call; an attempt
 * never runs past what remains of {@link RetryPolicy#maxElapsed()}), retries per {@link RetryPolicy}, a circuit breaker per host per {@link CircuitBreakerPolicy}, responses read up to {@link
 * #maxResponseBytes()}, and failures reported as the typed subclasses of {@link StackException}.
 *
 * <p><b>Resources.</b> Configuration is immutable and the client is thread-safe. With {@link
 * Builder#okHttpClient(OkHttpClient)} the client derives its own configuration from the given client (sharing its
 * connection pool and dispatcher) and never closes them; otherwise it owns its OkHttp client and {@link #close()}
 * releases its threads and connections. {@link #toString()} shows the configuration with the API key redacted.
 */
public final class StackClient implements AutoCloseable {
    /** Default {@link #baseUrl()}: {@value}. */
    public static final String DEFAULT_BASE_URL = "https://api.getstack.run";

    /** The environment variable read when no API key is configured: {@value}. */
    public static final String API_KEY_ENV = "STACK_API_KEY";

    /** Default {@link #connectTimeout()}: 5 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@link #readTimeout()}: 30 s. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Default {@link #callTimeout()}: 30 s for one attempt, from start to the last response byte; the same as {@link
     * RetryPolicy#DEFAULT_MAX_ELAPSED}, which bounds the whole call (an attempt never gets more than what remains of
     * it).
     */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Default {@link #maxResponseBytes()}: 4 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

    /** The largest accepted {@link #maxResponseBytes()}: 256 MiB. */
    public static final long MAX_MAX_RESPONSE_BYTES = 256L * 1024 * 1024;

    /** The longest accepted timeout: 10 minutes. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Default {@link #revocationStaleness()}: 60 s, STACK's revocation promise. */
    public static final Duration DEFAULT_REVOCATION_STALENESS = Duration.ofSeconds(60);

    /** The longest accepted {@link #revocationStaleness()}: 1 hour. */
    public static final Duration MAX_REVOCATION_STALENESS = Duration.ofHours(1);

    private final ClientParts parts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StackClient(ClientParts parts) {
        this.parts = parts;
    }

    /**
     * Returns STACK's missions: every passport belongs to one.
     *
     * @return the missions resource (one per client)
     */
    public Missions missions() {
        return parts.missions;
    }

    /**
     * Returns the mission the agent's own passport ({@link #passport()}) belongs to, starting or joining it if it
     * was not yet (per {@link Builder#mission(String)} or {@link Builder#missionRequest(MissionRequest)}).
     *
     * @return the current mission
     * @throws StackConfigurationException if no {@code agentId} was configured
     */
    public Mission currentMission() {
        return parts.currentMission();
    }

    /**
     * Returns the intent approvals of the agent's own passport: submit a claim for a person to approve, read it,
     * wait for the decision without holding a thread. An enforced agent needs an approved intent before a proxy call or skill invocation.
     *
     * @return the intents resource (one per client)
     */
    public Intents intents() {
        return parts.intents;
    }

    /**
     * Returns STACK's governance approvals (read only): the person-approved changes a {@link
     * StackGovernanceApprovalRequiredException} asks for.
     *
     * @return the approvals resource (one per client)
     */
    public Approvals approvals() {
        return parts.approvals;
    }

    /**
     * Returns the pause between two reads of a pending intent approval while a caller waits for it.
     *
     * @return the interval
     */
    public Duration approvalPollInterval() {
        return parts.approvalPollInterval;
    }

    /**
     * Returns STACK's credential endpoints, called under the agent's own passport ({@link #passport()}).
     *
     * @return the credential resource (one per client)
     */
    public Credentials credentials() {
        return parts.credentials;
    }

    /**
     * Returns the credential leases of the agent's own passport: shared, renewed from the time left, released on
     * close, checkout and revocation.
     *
     * @return the lease manager (one per client)
     */
    public Leases leases() {
        return parts.leases;
    }

    /**
     * Returns STACK's credential proxy, called under the agent's own passport: the agent never holds the secret.
     *
     * @return the proxy resource (one per client)
     */
    public StackProxy proxy() {
        return parts.proxy;
    }

    /**
     * Returns STACK's agent endpoints: register, list, read, update, delete, unblock.
     *
     * @return the agents resource (one per client)
     */
    public Agents agents() {
        return parts.agents;
    }

    /**
     * Returns STACK's security events (operator keys only): list, read, resolve, watch.
     *
     * @return the security events resource (one per client)
     */
    public SecurityEvents securityEvents() {
        return parts.securityEvents;
    }

    /**
     * Returns STACK's services, connections and grants.
     *
     * @return the services resource (one per client)
     */
    public Services services() {
        return parts.services;
    }

    /**
     * Returns STACK's identity claims: providers, the operator's claims, verifications, claim revocation.
     *
     * @return the identity resource (one per client)
     */
    public Identity identity() {
        return parts.identity;
    }

    /**
     * Returns STACK's skills, buyer side: list, read, invoke and wait for results, under the agent's current passport
     * when the client acts for an agent.
     *
     * @return the skills resource (one per client)
     */
    public Skills skills() {
        return parts.skills;
    }

    /**
     * Returns STACK's drop-offs: encrypted handoffs between agents, deposited and collected under the agent's own
     * passport.
     *
     * @return the drop-offs resource (one per client)
     */
    public Dropoffs dropoffs() {
        return parts.dropoffs;
    }

    /**
     * Returns STACK's audit log for reading: query, tail, export, verify.
     *
     * @return the audit log resource (one per client)
     */
    public AuditLog auditLog() {
        return parts.auditLog;
    }

    /**
     * Returns the agent's audit writer (configured with {@link Builder#audit(AuditConfig)}): the agent's events and
     * the SDK's own, hash-chained, spooled on disk and delivered to STACK's client ingest endpoint.
     *
     * @return the writer (one per client)
     * @throws StackConfigurationException if no audit configuration was given
     */
    public AuditWriter audit() {
        return parts.auditWriter();
    }

    /**
     * Returns the audit writer's configuration, if the writer is configured.
     *
     * @return the configuration
     */
    public Optional<AuditConfig> auditConfig() {
        return Optional.ofNullable(parts.auditConfig);
    }

    /**
     * Returns STACK's passport endpoints.
     *
     * @return the passport resource (one per client)
     */
    public Passports passports() {
        return parts.passports;
    }

    /**
     * Returns the agent's own passport: the passport of the client's current mission ({@link #currentMission()}),
     * obtained on first use and refreshed ahead of expiry per {@link
     * Builder#passportRefreshPolicy(PassportRefreshPolicy)}. The mission is the one given to {@link
     * Builder#mission(String)}, or one started from {@link Builder#missionRequest(MissionRequest)}, or else one
     * started from {@link Builder#passportRequest(PassportRequest)}'s intent. The mission's end ends this passport.
     *
     * @return the holder (one per client)
     * @throws StackConfigurationException if no {@code agentId} was configured
     */
    public AgentPassport passport() {
        return parts.passport();
    }

    /**
     * Returns what the agent's own passport is issued with.
     *
     * @return the request
     */
    public PassportRequest passportRequest() {
        return parts.passportRequest;
    }

    /**
     * Returns when the agent's own passport is refreshed.
     *
     * @return the policy
     */
    public PassportRefreshPolicy passportRefreshPolicy() {
        return parts.passportRefreshPolicy;
    }

    /**
     * Returns a {@link RevocationCheck} for a {@link run.getstack.sdk.passport.PassportVerifier} in a service that
     * receives passports: backed by this client's revocation follower (an operator or member key follows the
     * operator's feed, wire protocol §7.2), so a passport revoked anywhere is refused within about a second. A
     * passport issued before the follower started is asked about once ({@code GET /v1/revocations/{jti}}); after
     * that the feed keeps it current. When the client's knowledge is older than {@link #revocationStaleness()} and
     * no fresh answer can be had, the check throws, so the verifier rejects the passport with {@code
     * REVOCATION_CHECK_FAILED} (fail closed), unless {@link Builder#revocationFailOpen(boolean)} was chosen. Against
     * hosted STACK (no feed and no status endpoint) it cannot learn anything for a passport it does not hold the
     * token of, so it fails closed there.
     *
     * <pre>{@code
     * PassportVerifier verifier = PassportVerifier.builder()
     *         .jwksUrl(PassportVerifier.DEFAULT_JWKS_URL)
     *         .revocationCheck(operatorClient.revocationCheck())
     *         .build();
     * }</pre>
     *
     * @return the check (backed by this client: close the client only after the verifier)
     * @throws StackConfigurationException if the client was built without its revocation follower
     */
    public RevocationCheck revocationCheck() {
        return parts.revocationCheck();
    }

    /**
     * Returns how old the client's revocation knowledge of a passport may be before credential, lease and proxy calls
     * under it ask again, and fail closed if no answer comes ({@link Builder#revocationStaleness(Duration)}).
     *
     * @return the bound
     */
    public Duration revocationStaleness() {
        return parts.revocationStaleness;
    }

    /**
     * Tells whether calls go on when revocation is unknown past the bound ({@link
     * Builder#revocationFailOpen(boolean)}).
     *
     * @return true when fail-open was chosen
     */
    public boolean revocationFailOpen() {
        return parts.revocationFailOpen;
    }

    /** Package-private, for tests: the revocation follower, or null when disabled. */
    @Nullable
    RevocationFollower revocationFollower() {
        return parts.revocationFollower;
    }

    /** Package-private: the passport guard, for resources of this package and tests. */
    PassportGuard passportGuard() {
        return parts.passportGuard;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns where STACK's SDKs keep an agent's key: {@code ~/.stack/agents/<agentId>.json}.
     *
     * @param agentId the agent
     * @return the path
     */
    public static Path defaultAgentKeyFile(String agentId) {
        if (!AGENT_ID.matcher(Objects.requireNonNull(agentId, "agentId")).matches()) {
            throw new IllegalArgumentException("agentId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return Path.of(System.getProperty("user.home"), ".stack", "agents", agentId + ".json");
    }

    /**
     * Returns the control plane's base URL.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return parts.baseUrl.toString();
    }

    /**
     * Returns the agent this client acts for, if configured.
     *
     * @return the agent id
     */
    public Optional<String> agentId() {
        return Optional.ofNullable(parts.agentId);
    }

    /**
     * Returns the connect timeout of each attempt.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return parts.connectTimeout;
    }

    /**
     * Returns the read timeout (longest silence while reading a response).
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return parts.readTimeout;
    }

    /**
     * Returns the timeout of one whole attempt.
     *
     * @return the timeout
     */
    public Duration callTimeout() {
        return parts.callTimeout;
    }

    /**
     * Returns the clock every time decision of this client uses.
     *
     * @return the clock
     */
    public Clock clock() {
        return parts.clock;
    }

    /**
     * Returns the retry policy.
     *
     * @return the policy
     */
    public RetryPolicy retryPolicy() {
        return parts.retryPolicy;
    }

    /**
     * Returns the circuit breaker policy.
     *
     * @return the policy
     */
    public CircuitBreakerPolicy circuitBreakerPolicy() {
        return parts.circuitBreakerPolicy;
    }

    /**
     * Returns the largest response body the client reads.
     *
     * @return bytes
     */
    public long maxResponseBytes() {
        return parts.maxResponseBytes;
    }

    /** Package-private: the transport, for resources of this package and tests. */
    Transport transport() {
        return parts.transport;
    }

    /** Package-private, for tests: the OkHttp client the transport uses. */
    OkHttpClient okHttp() {
        return parts.http;
    }

    /** Package-private: the client's one event hook, for resources of this package and tests. */
    ClientEvents events() {
        return parts.events;
    }

    /** Package-private: the client's one scheduler, for resources of this package and tests. */
    TaskScheduler scheduler() {
        return parts.scheduler;
    }

    /**
     * Releases what the client owns: every lease (released on the control plane first), then the audit writer, if
     * configured (it delivers for up to its {@link AuditConfig#closeTimeout()}, then leaves the rest in its spool; see
     * {@link AuditWriter#close()}), then a credentials-file token exchange in flight (cancelled, its waiting callers
     * released; the file is rewritten whole or left as it was), then its background tasks (stopped, running ones
     * interrupted), its OkHttp
     * dispatcher threads and pooled connections (not those of a client passed to {@link
     * Builder#okHttpClient(OkHttpClient)}). Idempotent; throws nothing checked.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        parts.close();
    }

    /**
     * Shows the configuration; the API key appears only as {@code Secret[redacted ...]}.
     *
     * @return the configuration
     */
    @Override
    public String toString() {
        return parts.describe();
    }

    /**
     * Builds a {@link StackClient}. Every setter validates its value at once and throws {@link
     * IllegalArgumentException} (or {@link NullPointerException} for null) naming the setting; {@link #build()} checks
     * only what depends on several settings or on the environment (the API key from {@value #API_KEY_ENV}, an agent
     * key file that needs an {@code agentId}) and throws {@link StackConfigurationException}. Not thread-safe.
     */
    public static final class Builder {
        HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);

        @Nullable
        Secret apiKey;

        @Nullable
        String agentId;

        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        Duration readTimeout = DEFAULT_READ_TIMEOUT;
        Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        Clock clock = Clock.systemUTC();

        @Nullable
        OkHttpClient okHttpClient;

        RetryPolicy retryPolicy = RetryPolicy.defaults();
        CircuitBreakerPolicy circuitBreakerPolicy = CircuitBreakerPolicy.defaults();
        long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        @Nullable
        Path agentKeyFile;

        boolean allowAgentKeyReEnrollment;
        CertificatePinner.@Nullable Builder certificatePins;
        PassportRequest passportRequest = PassportRequest.defaults();
        PassportRefreshPolicy passportRefreshPolicy = PassportRefreshPolicy.defaults();
        Function<String, @Nullable String> environment = System::getenv;

        @Nullable
        Path homeDirectory;

        Sleeper sleeper = Sleeper.THREAD_SLEEP;
        DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        @Nullable
        TaskScheduler scheduler;

        @Nullable
        String missionId;

        @Nullable
        MissionRequest missionRequest;

        @Nullable
        AuditConfig audit;

        Duration approvalPollInterval = Intents.DEFAULT_POLL_INTERVAL;
        Duration revocationStaleness = DEFAULT_REVOCATION_STALENESS;
        boolean revocationFailOpen;

        @Nullable
        Integer revocationWaitSeconds;

        boolean revocationFollowerEnabled = true;

        private Builder() {}

        /**
         * Sets how old the client's revocation knowledge of its passport may be. The client follows the control
         * plane's revocation feed (a revoked passport is usually refused within a second); when its latest answer
         * for the passport is older than this, a credential, lease or proxy call first asks the passport's status,
         * and if no answer comes it fails closed with {@link StackRevocationUnknownException}. Zero asks before every
         * such call. Default {@link #DEFAULT_REVOCATION_STALENESS} (STACK's promise: a revoked passport stops working
         * everywhere within 60 s).
         *
         * @param bound zero to {@link #MAX_REVOCATION_STALENESS}
         * @return this builder
         * @throws IllegalArgumentException naming {@code revocationStaleness} when negative or too long
         */
        public Builder revocationStaleness(Duration bound) {
            Objects.requireNonNull(bound, "revocationStaleness");
            if (bound.isNegative() || bound.compareTo(MAX_REVOCATION_STALENESS) > 0) {
                throw new IllegalArgumentException(
                        "revocationStaleness: must be 0 to " + MAX_REVOCATION_STALENESS + ", was " + bound);
            }
            this.revocationStaleness = bound;
            return this;
        }

        /**
         * Lets credential, lease and proxy calls go on when the passport's revocation state is unknown past {@link
         * #revocationStaleness(Duration)} (logged as a warning and published as a {@code revocation.unknown}
         * event), instead of failing closed with {@link StackRevocationUnknownException}. Default {@code false}:
         * choose it only where an outage of the control plane must not stop the agent and a revoked passport used
         * for a while longer is an accepted risk.
         *
         * @param failOpen whether to serve when unknown
         * @return this builder
         */
        public Builder revocationFailOpen(boolean failOpen) {
            this.revocationFailOpen = failOpen;
            return this;
        }

        /** Package-private, for tests: the feed's {@code wait} in seconds (0 with a manual scheduler). */
        Builder revocationWaitSeconds(int seconds) {
            if (seconds < 0 || seconds > RevocationFeed.MAX_WAIT_SECONDS) {
                throw new IllegalArgumentException("revocationWaitSeconds: must be 0 to 30");
            }
            this.revocationWaitSeconds = seconds;
            return this;
        }

        /** Package-private, for tests of other capabilities: no revocation follower and no staleness check. */
        Builder revocationFollower(boolean enabled) {
            this.revocationFollowerEnabled = enabled;
            return this;
        }

        /**
         * Makes the agent's own passport ({@link StackClient#passport()}) the passport of this mission, opened
         * elsewhere ({@code client.missions().open(...)} or by the owner): the client reads the mission and issues
         * its passport on first use, with {@link #passportRequest(PassportRequest)}'s settings.
         *
         * @param missionId {@code ms_...}
         * @return this builder
         */
        public Builder mission(String missionId) {
            Objects.requireNonNull(missionId, "mission");
            if (!AGENT_ID.matcher(missionId).matches()) {
                throw new IllegalArgumentException("mission: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.missionId = missionId;
            this.missionRequest = null;
            return this;
        }

        /**
         * Makes the agent's own passport ({@link StackClient#passport()}) the passport of a mission the client starts
         * on first use with this request (its checkpoints sent for enforced agents; its end ends the passport).
         *
         * @param request the mission to start
         * @return this builder
         */
        public Builder missionRequest(MissionRequest request) {
            this.missionRequest = Objects.requireNonNull(request, "missionRequest");
            this.missionId = null;
            return this;
        }

        /**
         * Sets the pause between two reads of a pending intent approval while callers wait for it ({@link
         * Intents#whenDecided}). Default {@link Intents#DEFAULT_POLL_INTERVAL}.
         *
         * @param interval positive, at most {@link #MAX_TIMEOUT}
         * @return this builder
         */
        public Builder approvalPollInterval(Duration interval) {
            this.approvalPollInterval = timeout("approvalPollInterval", interval);
            return this;
        }

        /**
         * Turns on the audit writer ({@link StackClient#audit()}); requires {@link #agentId(String)}. The spool is
         * opened (and an earlier run's unacknowledged events found) by {@link #build()}.
         *
         * @param config where to spool, how durable, how much disk, how to batch
         * @return this builder
         */
        public Builder audit(AuditConfig config) {
            this.audit = Objects.requireNonNull(config, "audit");
            return this;
        }

        /**
         * Sets the control plane's base URL. Default {@link #DEFAULT_BASE_URL}.
         *
         * @param baseUrl {@code https://...}, or {@code http://} with a literal loopback host; no user info, query or
         *     fragment
         * @return this builder
         * @throws IllegalArgumentException naming {@code baseUrl} when the URL is malformed or not allowed
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = parseBaseUrl(Objects.requireNonNull(baseUrl, "baseUrl"));
            return this;
        }

        /**
         * Sets the API key; without one, {@link #build()} reads {@value #API_KEY_ENV}.
         *
         * <p>An operator key ({@code sk_live_op_...}) can do everything its operator can, reading every stored
         * credential included: it is for operators and their tools. Run an agent process in agent key mode instead
         * ({@link #agentKeyFile(Path)}), where the operator key is needed only once, to enroll the agent's key.
         *
         * @param apiKey the operator or member key: 1 to 4096 visible ASCII characters
         * @return this builder
         * @throws IllegalArgumentException naming {@code apiKey} (never showing it) when empty or malformed
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            if (apiKey.isEmpty()) {
                throw new IllegalArgumentException("apiKey: is empty");
            }
            Secret key = Secret.of(apiKey);
            String problem = keyProblem(key, "apiKey");
            if (problem != null) {
                key.close();
                throw new IllegalArgumentException(problem);
            }
            this.apiKey = key;
            return this;
        }

        /**
         * Sets the API key from a {@link Secret} (the client keeps a reference; do not close it while in use). What
         * an operator key can do, and what an agent process should hold instead: {@link #apiKey(String)}.
         *
         * @param apiKey the operator or member key: 1 to 4096 visible ASCII characters
         * @return this builder
         * @throws IllegalArgumentException naming {@code apiKey} (never showing it) when closed, empty or malformed
         */
        public Builder apiKey(Secret apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            String problem = keyProblem(apiKey, "apiKey");
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the agent this client acts for.
         *
         * @param agentId 1 to 128 characters of {@code [A-Za-z0-9_-]}
         * @return this builder
         * @throws IllegalArgumentException naming {@code agentId} when malformed
         */
        public Builder agentId(String agentId) {
            if (!AGENT_ID.matcher(Objects.requireNonNull(agentId, "agentId")).matches()) {
                throw new IllegalArgumentException("agentId: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.agentId = agentId;
            return this;
        }

        /**
         * Sets the connect timeout of each attempt. Default {@link #DEFAULT_CONNECT_TIMEOUT}.
         *
         * @param timeout positive, at most {@link #MAX_TIMEOUT}
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets the read timeout. Default {@link #DEFAULT_READ_TIMEOUT}.
         *
         * @param timeout positive, at most {@link #MAX_TIMEOUT}
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout("readTimeout", timeout);
            return this;
        }

        /**
         * Sets the timeout of one whole attempt. Default {@link #DEFAULT_CALL_TIMEOUT}. An attempt is also cut at
         * what remains of the retry budget ({@link RetryPolicy#maxElapsed()}), whichever comes first.
         *
         * @param timeout positive, at most {@link #MAX_TIMEOUT}
         * @return this builder
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = timeout("callTimeout", timeout);
            return this;
        }

        /**
         * Sets the clock for every time decision (retry budget, circuit breaker, passport expiry). Default the UTC
         * system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Shares an OkHttp client's connection pool and dispatcher. The client derives its own settings with {@code
         * newBuilder()} and never closes the given client's resources. The shared client's authenticator and cookie
         * jar are not used (an authenticator would re-send a call on 401 with another service's credential), nor are
         * its redirect and retry settings; its interceptors are kept, so an interceptor that logs headers would see
         * the {@code Authorization} and {@code X-Passport-Token} headers: do not share a client that does that.
         *
         * @param client the client to share
         * @return this builder
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.okHttpClient = Objects.requireNonNull(client, "okHttpClient");
            return this;
        }

        /**
         * Pins the certificates of a host: a TLS connection to a matching host succeeds only if its certificate chain
         * holds one of the given public keys (OkHttp's {@link CertificatePinner}); otherwise the call fails at once
         * with {@link StackCertificatePinningException}, naming the host. Call once per host pattern; give the
         * current key and a backup, so a certificate renewal with a new key does not lock the client out. Without
         * pins the platform's trust store alone decides. Every connection is TLS 1.2 or 1.3 either way.
         *
         * @param hostPattern a host name ({@code api.getstack.run}), {@code *.example.com} (one label) or {@code
         *     **.example.com} (any depth)
         * @param pins one or more {@code sha256/<base64 SHA-256 of the SubjectPublicKeyInfo>}
         * @return this builder
         * @throws IllegalArgumentException naming {@code certificatePin} when the pattern or a pin is malformed
         */
        public Builder certificatePin(String hostPattern, String... pins) {
            CertificatePinner.Builder p = certificatePins;
            if (p == null) {
                p = new CertificatePinner.Builder();
            }
            Tls.addPins("certificatePin", p, hostPattern, pins);
            this.certificatePins = p;
            return this;
        }

        /**
         * Sets the retry policy. Default {@link RetryPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * Sets the circuit breaker policy. Default {@link CircuitBreakerPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder circuitBreakerPolicy(CircuitBreakerPolicy policy) {
            this.circuitBreakerPolicy = Objects.requireNonNull(policy, "circuitBreakerPolicy");
            return this;
        }

        /**
         * Sets the largest response body read; a larger one fails with {@link StackMalformedResponseException}.
         * Default {@link #DEFAULT_MAX_RESPONSE_BYTES}.
         *
         * @param bytes 1 to {@link #MAX_MAX_RESPONSE_BYTES}
         * @return this builder
         */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1 || bytes > MAX_MAX_RESPONSE_BYTES) {
                throw new IllegalArgumentException(
                        "maxResponseBytes: must be 1 to " + MAX_MAX_RESPONSE_BYTES + ", was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * Makes the client act as its agent with an Ed25519 key pair instead of the API key (STACK's per-agent key
         * mode): every HTTP attempt carries a fresh agent-signed JWT (60 s, {@code aud=stack:agent}). If the file
         * exists it must be owner-only ({@code 0600}) and for this {@code agentId}; then no API key is needed. If it
         * does not exist, the first call enrolls a new key with the API key (challenge, proof of possession) and
         * writes the file, created owner-only. It does not enroll an agent that already has a key (another process
         * holds it: enrolling would lock that process out) unless {@link #allowAgentKeyReEnrollment(boolean)}. See
         * {@link StackClient#defaultAgentKeyFile(String)}.
         *
         * @param keyFile the key file
         * @return this builder
         */
        public Builder agentKeyFile(Path keyFile) {
            this.agentKeyFile = Objects.requireNonNull(keyFile, "agentKeyFile");
            return this;
        }

        /**
         * Allows enrolling a new agent key when the agent already has one on the server. Default {@code false}: a
         * client whose {@link #agentKeyFile(Path)} does not exist refuses to enroll an agent that is already enrolled
         * (with a {@link StackConfigurationException}), because enrolling replaces the key at once and every other
         * process of the agent, still holding the old key file, would be refused from then on. Allow it only to
         * replace a lost or compromised key, and then give the new key file to every process of the agent.
         *
         * @param allow whether to replace an enrolled key
         * @return this builder
         */
        public Builder allowAgentKeyReEnrollment(boolean allow) {
            this.allowAgentKeyReEnrollment = allow;
            return this;
        }

        /**
         * Sets what the agent's own passport ({@link StackClient#passport()}) is issued with. Default {@link
         * PassportRequest#defaults()}: all granted scopes, 900 s, no intent (agents in {@code enforced} or {@code
         * logged} mode need one). Without {@link #mission(String)} or {@link #missionRequest(MissionRequest)}, the
         * client starts a mission from this request's intent (its summary and services).
         *
         * @param request the issue parameters
         * @return this builder
         */
        public Builder passportRequest(PassportRequest request) {
            this.passportRequest = Objects.requireNonNull(request, "passportRequest");
            return this;
        }

        /**
         * Sets when the agent's own passport is refreshed. Default {@link PassportRefreshPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder passportRefreshPolicy(PassportRefreshPolicy policy) {
            this.passportRefreshPolicy = Objects.requireNonNull(policy, "passportRefreshPolicy");
            return this;
        }

        /** Package-private, for tests: where environment variables are read. */
        Builder environment(Function<String, @Nullable String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Package-private, for tests: the home directory holding {@code .stack/credentials.json}. */
        Builder homeDirectory(Path home) {
            this.homeDirectory = Objects.requireNonNull(home, "homeDirectory");
            return this;
        }

        /** Package-private, for tests: how the transport waits between retries. */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Package-private, for tests: the client's scheduler (the client closes it on close). */
        Builder scheduler(TaskScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Package-private, for tests: the jitter's random source (uniform in [0, 1)). */
        Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Checks the configuration and builds the client.
         *
         * @return the client
         * @throws StackConfigurationException naming the first missing or malformed setting
         */
        public StackClient build() {
            return new StackClient(ClientParts.assemble(this));
        }
    }
}
