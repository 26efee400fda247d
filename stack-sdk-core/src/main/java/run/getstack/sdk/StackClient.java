package run.getstack.sdk;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.Authenticator;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.agentkey.internal.AgentKeyAuth;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.DefaultTaskScheduler;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.Missions;
import run.getstack.sdk.mission.internal.CurrentMissionPassport;
import run.getstack.sdk.mission.internal.DefaultMissions;
import run.getstack.sdk.mission.internal.MissionErrors;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.Passports;
import run.getstack.sdk.passport.internal.DefaultPassports;
import run.getstack.sdk.passport.internal.PassportErrors;
import run.getstack.sdk.passport.internal.PassportGuard;

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
 * <p><b>Configuration.</b> Each setting has a default (public constants below). The API key comes from
 * {@link Builder#apiKey(String)}, else from the {@value #API_KEY_ENV} environment variable. {@link Builder#build()}
 * checks the whole configuration and fails with {@link StackConfigurationException} naming the first setting that is
 * missing or malformed; numeric and duration setters reject bad values at once with {@link
 * IllegalArgumentException}. The base URL must be {@code https://}; {@code http://} is accepted only for a loopback
 * host written literally ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}), for local fakes.
 *
 * <p><b>Calls.</b> All calls go through one transport: per-attempt timeouts (connect, read, whole call), retries per
 * {@link RetryPolicy}, a circuit breaker per host per {@link CircuitBreakerPolicy}, responses read up to {@link
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

    /** Default {@link #callTimeout()}: 60 s for one attempt, from start to the last response byte. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** Default {@link #maxResponseBytes()}: 4 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 4L * 1024 * 1024;

    /** The largest accepted {@link #maxResponseBytes()}: 256 MiB. */
    public static final long MAX_MAX_RESPONSE_BYTES = 256L * 1024 * 1024;

    /** The longest accepted timeout: 10 minutes. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final int MAX_API_KEY_LENGTH = 4096;

    private final HttpUrl baseUrl;
    private final @Nullable Secret apiKey;
    private final @Nullable AgentKeyAuth agentKeyAuth;
    private final @Nullable String agentId;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration callTimeout;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final CircuitBreakerPolicy circuitBreakerPolicy;
    private final long maxResponseBytes;
    private final boolean sharedOkHttpClient;
    private final OkHttpClient http;
    private final Transport transport;
    private final TaskScheduler scheduler;
    private final ClientEvents events = new ClientEvents();
    private final PassportRequest passportRequest;
    private final PassportRefreshPolicy passportRefreshPolicy;
    private final PassportGuard passportGuard;
    private final DefaultPassports passports;
    private final DefaultMissions missions;
    private final @Nullable AgentPassport agentPassport;
    private final @Nullable String missionId;
    private final @Nullable MissionRequest missionRequest;
    private final AtomicBoolean closed = new AtomicBoolean();

    private StackClient(Builder b, HttpUrl baseUrl, @Nullable Secret apiKey, @Nullable AgentKeyAuth agentKeyAuth) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
        this.agentKeyAuth = agentKeyAuth;
        this.agentId = b.agentId;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.clock = b.clock;
        this.retryPolicy = b.retryPolicy;
        this.circuitBreakerPolicy = b.circuitBreakerPolicy;
        this.maxResponseBytes = b.maxResponseBytes;
        OkHttpClient shared = b.okHttpClient;
        this.sharedOkHttpClient = shared != null;
        OkHttpClient.Builder hb = shared != null ? shared.newBuilder() : new OkHttpClient.Builder();
        this.http = hb
                // a shared client's authenticator would re-send a call on 401 with its own credential, and its
                // cookie jar would carry state between unrelated services: neither belongs on STACK calls
                .authenticator(Authenticator.NONE)
                .cookieJar(CookieJar.NO_COOKIES)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(callTimeout)
                // the transport owns retries (a silent OkHttp retry could repeat a non-idempotent POST)
                .retryOnConnectionFailure(false)
                // never follow a redirect with the Authorization header; a 3xx is an error
                .followRedirects(false)
                .followSslRedirects(false)
                // OkHttp would re-send any request (a POST too) on 503 with Retry-After: 0
                .addNetworkInterceptor(Transport.HIDE_RETRY_AFTER_FROM_OKHTTP)
                .build();
        this.passportGuard = new PassportGuard(clock);
        java.util.function.Supplier<Secret> bearer;
        if (agentKeyAuth != null) {
            bearer = agentKeyAuth;
        } else {
            Secret key = Objects.requireNonNull(apiKey, "apiKey");
            bearer = () -> key;
        }
        this.transport = new Transport(
                baseUrl,
                bearer,
                http,
                clock,
                retryPolicy,
                circuitBreakerPolicy,
                maxResponseBytes,
                b.sleeper,
                b.random,
                new MissionErrors(PassportErrors.INSTANCE, passportGuard));
        if (agentKeyAuth != null) {
            agentKeyAuth.transport(transport);
        }
        TaskScheduler sched = b.scheduler;
        this.scheduler = sched != null ? sched : new DefaultTaskScheduler();
        this.passportRequest = b.passportRequest;
        this.passportRefreshPolicy = b.passportRefreshPolicy;
        this.passports = new DefaultPassports(transport, passportGuard, clock);
        this.missionId = b.missionId;
        this.missionRequest = b.missionRequest;
        this.missions = new DefaultMissions(
                transport,
                passports,
                passportGuard,
                scheduler,
                events,
                clock,
                b.sleeper,
                b.random,
                passportRefreshPolicy,
                agentId);
        String agent = agentId;
        String joinId = missionId;
        MissionRequest startRequest = missionRequest;
        if (agent == null) {
            this.agentPassport = null;
        } else if (joinId != null) {
            this.agentPassport = new CurrentMissionPassport(() -> missions.join(joinId, passportRequest));
        } else if (startRequest != null) {
            this.agentPassport = new CurrentMissionPassport(() -> missions.start(startRequest));
        } else {
            // every passport belongs to a mission: the passport request's intent starts one on first use
            MissionRequest fromIntent =
                    MissionRequest.fromPassportRequest(passportRequest, "passport of agent " + agent);
            this.agentPassport = new CurrentMissionPassport(() -> missions.start(fromIntent));
        }
    }

    /**
     * Returns STACK's missions: every passport belongs to one.
     *
     * @return the missions resource (one per client)
     */
    public Missions missions() {
        return missions;
    }

    /**
     * Returns the mission the agent's own passport ({@link #passport()}) belongs to, starting or joining it if it
     * was not yet (per {@link Builder#mission(String)} or {@link Builder#missionRequest(MissionRequest)}).
     *
     * @return the current mission
     * @throws StackConfigurationException if no {@code agentId} was configured
     */
    public Mission currentMission() {
        if (agentPassport instanceof CurrentMissionPassport c) {
            return c.mission();
        }
        throw new StackConfigurationException(
                agentId == null
                        ? "agentId: required for the agent's own mission (currentMission())"
                        : "mission: the agent's own passport has no mission; set StackClient.Builder.mission(...) or"
                                + " missionRequest(...)");
    }

    /**
     * Returns STACK's passport endpoints.
     *
     * @return the passport resource (one per client)
     */
    public Passports passports() {
        return passports;
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
        AgentPassport p = agentPassport;
        if (p == null) {
            throw new StackConfigurationException("agentId: required for the agent's own passport (passport())");
        }
        return p;
    }

    /**
     * Returns what the agent's own passport is issued with.
     *
     * @return the request
     */
    public PassportRequest passportRequest() {
        return passportRequest;
    }

    /**
     * Returns when the agent's own passport is refreshed.
     *
     * @return the policy
     */
    public PassportRefreshPolicy passportRefreshPolicy() {
        return passportRefreshPolicy;
    }

    /** Package-private: the passport guard, for resources of this package and tests. */
    PassportGuard passportGuard() {
        return passportGuard;
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
        return baseUrl.toString();
    }

    /**
     * Returns the agent this client acts for, if configured.
     *
     * @return the agent id
     */
    public Optional<String> agentId() {
        return Optional.ofNullable(agentId);
    }

    /**
     * Returns the connect timeout of each attempt.
     *
     * @return the timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns the read timeout (longest silence while reading a response).
     *
     * @return the timeout
     */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Returns the timeout of one whole attempt.
     *
     * @return the timeout
     */
    public Duration callTimeout() {
        return callTimeout;
    }

    /**
     * Returns the clock every time decision of this client uses.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the retry policy.
     *
     * @return the policy
     */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /**
     * Returns the circuit breaker policy.
     *
     * @return the policy
     */
    public CircuitBreakerPolicy circuitBreakerPolicy() {
        return circuitBreakerPolicy;
    }

    /**
     * Returns the largest response body the client reads.
     *
     * @return bytes
     */
    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    /** Package-private: the transport, for resources of this package and tests. */
    Transport transport() {
        return transport;
    }

    /** Package-private: the client's one event hook, for resources of this package and tests. */
    ClientEvents events() {
        return events;
    }

    /** Package-private: the client's one scheduler, for resources of this package and tests. */
    TaskScheduler scheduler() {
        return scheduler;
    }

    /**
     * Releases what the client owns: its background tasks (stopped, running ones interrupted), its OkHttp dispatcher
     * threads and pooled connections (not those of a client passed to {@link Builder#okHttpClient(OkHttpClient)}).
     * Idempotent; throws nothing checked.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.close();
        if (!sharedOkHttpClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /**
     * Shows the configuration; the API key appears only as {@code Secret[redacted ...]}.
     *
     * @return the configuration
     */
    @Override
    public String toString() {
        return "StackClient{baseUrl=" + baseUrl + ", apiKey=" + apiKey + ", agentId=" + agentId + ", agentKey="
                + agentKeyAuth
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout="
                + callTimeout + ", maxResponseBytes=" + maxResponseBytes + ", retryPolicy=" + retryPolicy
                + ", circuitBreakerPolicy=" + circuitBreakerPolicy + ", passportRequest=" + passportRequest
                + ", passportRefreshPolicy=" + passportRefreshPolicy + ", sharedOkHttpClient=" + sharedOkHttpClient
                + ", clock=" + clock + '}';
    }

    /**
     * Builds a {@link StackClient}. Numeric and duration setters validate at once; {@link #build()} validates the
     * rest and throws {@link StackConfigurationException}. Not thread-safe.
     */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private @Nullable Secret apiKey;
        private boolean emptyKeyGiven;
        private @Nullable String agentId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private @Nullable OkHttpClient okHttpClient;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private CircuitBreakerPolicy circuitBreakerPolicy = CircuitBreakerPolicy.defaults();
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private @Nullable Path agentKeyFile;
        private PassportRequest passportRequest = PassportRequest.defaults();
        private PassportRefreshPolicy passportRefreshPolicy = PassportRefreshPolicy.defaults();
        private Function<String, @Nullable String> environment = System::getenv;
        private Sleeper sleeper = Sleeper.THREAD_SLEEP;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private @Nullable TaskScheduler scheduler;
        private @Nullable String missionId;
        private @Nullable MissionRequest missionRequest;

        private Builder() {}

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
         * Sets the control plane's base URL; checked by {@link #build()}.
         *
         * @param baseUrl {@code https://...}, or {@code http://} with a literal loopback host
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Sets the API key; without one, {@link #build()} reads {@value #API_KEY_ENV}.
         *
         * @param apiKey the operator or member key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            Objects.requireNonNull(apiKey, "apiKey");
            this.apiKey = apiKey.isEmpty() ? null : Secret.of(apiKey);
            this.emptyKeyGiven = apiKey.isEmpty();
            return this;
        }

        /**
         * Sets the API key from a {@link Secret} (the client keeps a reference; do not close it while in use).
         *
         * @param apiKey the operator or member key
         * @return this builder
         */
        public Builder apiKey(Secret apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            this.emptyKeyGiven = false;
            return this;
        }

        /**
         * Sets the agent this client acts for; checked by {@link #build()}.
         *
         * @param agentId 1 to 128 characters of {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder agentId(String agentId) {
            this.agentId = Objects.requireNonNull(agentId, "agentId");
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
         * Sets the timeout of one whole attempt. Default {@link #DEFAULT_CALL_TIMEOUT}.
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
         * writes the file, created owner-only. See {@link StackClient#defaultAgentKeyFile(String)}.
         *
         * @param keyFile the key file
         * @return this builder
         */
        public Builder agentKeyFile(Path keyFile) {
            this.agentKeyFile = Objects.requireNonNull(keyFile, "agentKeyFile");
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
            HttpUrl url = parseBaseUrl(baseUrl);
            String agent = agentId;
            if (agent != null && !AGENT_ID.matcher(agent).matches()) {
                throw new StackConfigurationException("agentId: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            Path keyFile = agentKeyFile;
            if (keyFile == null) {
                return new StackClient(this, url, resolveApiKey(), null);
            }
            if (agent == null) {
                throw new StackConfigurationException("agentKeyFile: requires agentId");
            }
            Secret key = AgentKeyAuth.exists(keyFile) && apiKey == null && !emptyKeyGiven ? null : resolveApiKey();
            return new StackClient(this, url, key, new AgentKeyAuth(agent, keyFile, key, clock));
        }

        private Secret resolveApiKey() {
            Secret key = apiKey;
            if (key == null) {
                if (emptyKeyGiven) {
                    throw new StackConfigurationException("apiKey: is empty");
                }
                String env = environment.apply(API_KEY_ENV);
                if (env == null || env.trim().isEmpty()) {
                    throw new StackConfigurationException("apiKey: not set and " + API_KEY_ENV + " is empty");
                }
                key = Secret.of(env.trim());
                return checkKey(key, API_KEY_ENV);
            }
            return checkKey(key, "apiKey");
        }

        private static Secret checkKey(Secret key, String source) {
            if (key.isClosed()) {
                throw new StackConfigurationException("apiKey: the Secret was closed");
            }
            if (key.length() > MAX_API_KEY_LENGTH) {
                throw new StackConfigurationException(source + ": longer than " + MAX_API_KEY_LENGTH + " characters");
            }
            char[] chars = key.revealPlaintextChars();
            try {
                for (char c : chars) {
                    if (c < 0x21 || c > 0x7E) {
                        throw new StackConfigurationException(
                                source + ": contains whitespace, control or non-ASCII characters");
                    }
                }
            } finally {
                java.util.Arrays.fill(chars, '\0');
            }
            return key;
        }

        private static HttpUrl parseBaseUrl(String raw) {
            HttpUrl url = HttpUrl.parse(raw.trim());
            if (url == null) {
                throw new StackConfigurationException("baseUrl: not an http(s) URL");
            }
            if (!url.username().isEmpty() || !url.password().isEmpty()) {
                throw new StackConfigurationException("baseUrl: must not contain user info");
            }
            if (url.query() != null || url.fragment() != null) {
                throw new StackConfigurationException("baseUrl: must not contain a query or fragment");
            }
            if ("http".equals(url.scheme()) && !isLiteralLoopback(url.host())) {
                throw new StackConfigurationException("baseUrl: http:// is only allowed for a loopback host"
                        + " (localhost, 127.0.0.0/8, [::1]); use https://");
            }
            return url;
        }

        private static boolean isLiteralLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
                return true;
            }
            if (IPV4_LOOPBACK.matcher(h).matches()) {
                for (String part : h.split("\\.", -1)) {
                    if (Integer.parseInt(part) > 255) {
                        return false;
                    }
                }
                return true;
            }
            return false;
        }

        private static Duration timeout(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        name + ": must be positive and at most " + MAX_TIMEOUT + ", was " + d);
            }
            return d;
        }
    }
}
