package run.getstack.sdk;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.Authenticator;
import okhttp3.CertificatePinner;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.agent.internal.DefaultAgents;
import run.getstack.sdk.agentkey.internal.AgentKeyAuth;
import run.getstack.sdk.approval.internal.DefaultApprovals;
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditWriter;
import run.getstack.sdk.audit.StackAuditException;
import run.getstack.sdk.audit.internal.DefaultAuditWriter;
import run.getstack.sdk.auditlog.internal.DefaultAuditLog;
import run.getstack.sdk.credential.internal.CapabilityContext;
import run.getstack.sdk.credential.internal.DefaultCredentials;
import run.getstack.sdk.dropoff.internal.DefaultDropoffs;
import run.getstack.sdk.identity.internal.DefaultIdentity;
import run.getstack.sdk.intent.internal.DefaultIntents;
import run.getstack.sdk.internal.auth.RefreshTokenBearer;
import run.getstack.sdk.internal.client.ClientErrorCodes;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.Tls;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.DefaultTaskScheduler;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.lease.internal.DefaultLeases;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.internal.CurrentMissionPassport;
import run.getstack.sdk.mission.internal.DefaultMissions;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.RevocationCheck;
import run.getstack.sdk.passport.internal.DefaultPassports;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.proxy.internal.DefaultStackProxy;
import run.getstack.sdk.revocation.internal.RevocationFeed;
import run.getstack.sdk.revocation.internal.RevocationFollower;
import run.getstack.sdk.security.internal.DefaultSecurityEvents;
import run.getstack.sdk.service.internal.DefaultServices;
import run.getstack.sdk.skill.internal.DefaultSkills;

/**
 * Package-private: what a {@link StackClient} is made of, wired from its builder. One transport, scheduler, event hook
 * and passport guard, shared by every capability; {@link #close()} releases them in order.
 */
final class ClientParts {
    final HttpUrl baseUrl;
    final @Nullable String agentId;
    final Duration connectTimeout;
    final Duration readTimeout;
    final Duration callTimeout;
    final Clock clock;
    final RetryPolicy retryPolicy;
    final CircuitBreakerPolicy circuitBreakerPolicy;
    final long maxResponseBytes;
    final PassportRequest passportRequest;
    final PassportRefreshPolicy passportRefreshPolicy;
    final @Nullable AuditConfig auditConfig;
    final Duration approvalPollInterval;
    final Duration revocationStaleness;
    final boolean revocationFailOpen;
    final @Nullable Secret apiKey;
    final String credentialSource;
    final @Nullable AgentKeyAuth agentKeyAuth;
    final boolean sharedOkHttpClient;
    final OkHttpClient http;
    final Transport transport;
    final TaskScheduler scheduler;

    /** The credentials file's token source, closed with the client; null for other credentials. */
    final @Nullable RefreshTokenBearer refreshTokenBearer;

    final ClientEvents events = new ClientEvents();
    final PassportGuard passportGuard;
    final DefaultPassports passports;
    final DefaultMissions missions;
    final @Nullable AgentPassport agentPassport;
    final DefaultCredentials credentials;
    final DefaultLeases leases;
    final DefaultStackProxy proxy;
    final DefaultAgents agents;
    final DefaultSecurityEvents securityEvents;
    final DefaultServices services;
    final DefaultAuditLog auditLog;
    final DefaultIdentity identity;
    final DefaultSkills skills;
    final DefaultDropoffs dropoffs;
    final @Nullable DefaultAuditWriter audit;
    final DefaultIntents intents;
    final DefaultApprovals approvals;
    final @Nullable RevocationFollower revocationFollower;

    /**
     * Checks what depends on several settings or on the environment, finds the credential and wires the client.
     *
     * @param b the builder
     * @return the parts
     * @throws StackConfigurationException naming the first missing or malformed setting
     */
    static ClientParts assemble(StackClient.Builder b) {
        String agent = b.agentId;
        if (b.audit != null && agent == null) {
            throw new StackConfigurationException("audit: requires agentId (every audit event names its agent)");
        }
        Path keyFile = b.agentKeyFile;
        if (keyFile == null) {
            return new ClientParts(b, b.baseUrl, ClientChecks.discoverCredential(b), null);
        }
        if (agent == null) {
            throw new StackConfigurationException("agentKeyFile: requires agentId");
        }
        ClientChecks.Discovered credential =
                AgentKeyAuth.exists(keyFile) && b.apiKey == null ? null : ClientChecks.discoverCredential(b);
        return new ClientParts(
                b,
                b.baseUrl,
                credential,
                new AgentKeyAuth(
                        agent,
                        keyFile,
                        credential != null ? credential.bearer() : null,
                        b.allowAgentKeyReEnrollment,
                        b.clock));
    }

    private ClientParts(
            StackClient.Builder b,
            HttpUrl baseUrl,
            ClientChecks.@Nullable Discovered credential,
            @Nullable AgentKeyAuth agentKeyAuth) {
        this.baseUrl = baseUrl;
        this.apiKey = credential != null ? credential.apiKey() : null;
        this.credentialSource = credential != null ? credential.source() : "agentKeyFile";
        this.agentKeyAuth = agentKeyAuth;
        this.agentId = b.agentId;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.callTimeout = b.callTimeout;
        this.clock = b.clock;
        this.retryPolicy = b.retryPolicy;
        this.circuitBreakerPolicy = b.circuitBreakerPolicy;
        this.maxResponseBytes = b.maxResponseBytes;
        this.passportRequest = b.passportRequest;
        this.passportRefreshPolicy = b.passportRefreshPolicy;
        this.auditConfig = b.audit;
        this.approvalPollInterval = b.approvalPollInterval;
        this.revocationStaleness = b.revocationStaleness;
        this.revocationFailOpen = b.revocationFailOpen;
        OkHttpClient shared = b.okHttpClient;
        this.sharedOkHttpClient = shared != null;
        OkHttpClient.Builder hb = shared != null ? shared.newBuilder() : new OkHttpClient.Builder();
        hb
                // a shared client's authenticator would re-send a call on 401 with its own credential, and its
                // cookie jar would carry state between unrelated services: neither belongs on STACK calls
                .authenticator(Authenticator.NONE)
                .cookieJar(CookieJar.NO_COOKIES)
                .connectTimeout(b.connectTimeout)
                .readTimeout(b.readTimeout)
                .writeTimeout(b.readTimeout)
                .callTimeout(b.callTimeout)
                // the transport owns retries (a silent OkHttp retry could repeat a non-idempotent POST)
                .retryOnConnectionFailure(false)
                // never follow a redirect with the Authorization header; a 3xx is an error
                .followRedirects(false)
                .followSslRedirects(false)
                // OkHttp would re-send any request (a POST too) on 503 with Retry-After: 0
                .addNetworkInterceptor(Transport.HIDE_RETRY_AFTER_FROM_OKHTTP)
                // TLS 1.2+ whatever a shared client allowed (cleartext only reaches a literal loopback base URL)
                .connectionSpecs(Tls.SPECS);
        CertificatePinner.Builder pins = b.certificatePins;
        if (pins != null) {
            hb.certificatePinner(pins.build());
        }
        this.http = hb.build();
        this.passportGuard = new PassportGuard(clock);
        Supplier<Secret> bearer;
        if (agentKeyAuth != null) {
            bearer = agentKeyAuth;
        } else {
            bearer = Objects.requireNonNull(credential, "credential").bearer();
        }
        this.transport = new Transport(
                baseUrl,
                bearer,
                http,
                clock,
                b.retryPolicy,
                b.circuitBreakerPolicy,
                b.maxResponseBytes,
                b.sleeper,
                b.random,
                ClientErrorCodes.of(passportGuard));
        if (agentKeyAuth != null) {
            agentKeyAuth.transport(transport);
        }
        TaskScheduler sched = b.scheduler;
        this.scheduler = sched != null ? sched : new DefaultTaskScheduler();
        if (credential != null && credential.bearer() instanceof RefreshTokenBearer refreshing) {
            refreshing.connect(transport); // its exchanges run on a thread of their own (an interrupt loses none)
            this.refreshTokenBearer = refreshing;
        } else {
            this.refreshTokenBearer = null;
        }
        this.passports = new DefaultPassports(transport, passportGuard, clock, events);
        this.missions = new DefaultMissions(
                transport,
                passports,
                passportGuard,
                scheduler,
                events,
                clock,
                b.sleeper,
                b.random,
                b.passportRefreshPolicy,
                agentId);
        String agent = agentId;
        String joinId = b.missionId;
        MissionRequest startRequest = b.missionRequest;
        if (agent == null) {
            this.agentPassport = null;
        } else if (joinId != null) {
            this.agentPassport = new CurrentMissionPassport(() -> missions.join(joinId, passportRequest));
        } else if (startRequest != null) {
            this.agentPassport = new CurrentMissionPassport(() -> missions.start(startRequest));
        } else {
            // every passport belongs to a mission: the passport request's intent starts one on first use
            MissionRequest fromIntent =
                    MissionRequest.fromPassportRequest(b.passportRequest, "passport of agent " + agent);
            this.agentPassport = new CurrentMissionPassport(() -> missions.start(fromIntent));
        }
        AgentPassport own = agentPassport;
        RevocationFollower follower = b.revocationFollowerEnabled
                ? new RevocationFollower(
                        new RevocationFeed(transport, clock),
                        passportGuard,
                        scheduler,
                        events,
                        clock,
                        b.random,
                        b.revocationStaleness,
                        b.revocationFailOpen,
                        b.revocationWaitSeconds,
                        () -> own == null ? Optional.empty() : own.peek())
                : null;
        this.revocationFollower = follower;
        if (follower != null) {
            // started by the first passport or lease this client holds
            events.subscribe(e -> {
                String jti = e.passportJti();
                if (jti != null
                        && e.outcome() == ClientEvent.Outcome.SUCCESS
                        && (e.action().equals("passport.issued")
                                || e.action().equals("passport.refreshed")
                                || e.action().equals("lease.acquired"))) {
                    follower.hold(jti, null, null, null);
                }
            });
        }
        CapabilityContext ctx = new CapabilityContext(
                transport,
                this::passport,
                passportGuard,
                clock,
                events,
                scheduler,
                b.random,
                follower == null ? p -> {} : follower::requireFresh);
        this.credentials = new DefaultCredentials(ctx);
        this.leases = new DefaultLeases(ctx, credentials);
        this.proxy = new DefaultStackProxy(ctx);
        this.agents = new DefaultAgents(transport, agentKeyAuth != null ? agentId : null);
        this.securityEvents = new DefaultSecurityEvents(transport, scheduler);
        this.services = new DefaultServices(transport);
        this.auditLog = new DefaultAuditLog(transport, scheduler, b.sleeper);
        this.identity = new DefaultIdentity(transport);
        this.skills = new DefaultSkills(transport, clock, b.sleeper, agent == null ? null : ctx::currentPassport);
        this.dropoffs = new DefaultDropoffs(
                ctx,
                agent,
                () -> own instanceof CurrentMissionPassport c
                        ? c.peekMission().map(Mission::id).orElse(null)
                        : null);
        this.intents = new DefaultIntents(ctx, agentId, b.approvalPollInterval);
        this.approvals = new DefaultApprovals(transport);
        AuditConfig ac = b.audit;
        if (ac != null && agent != null) {
            try {
                this.audit = new DefaultAuditWriter(ac, agent, transport, scheduler, events, clock, b.random);
            } catch (StackAuditException e) {
                scheduler.close();
                throw new StackConfigurationException("audit.spoolDirectory: " + e.getMessage());
            }
        } else {
            this.audit = null;
        }
    }

    /** The configuration as {@link StackClient#toString()} shows it; the API key only as {@code Secret[redacted]}. */
    String describe() {
        return "StackClient{baseUrl=" + baseUrl + ", apiKey=" + apiKey + ", credentials=" + credentialSource
                + ", agentId=" + agentId + ", agentKey="
                + agentKeyAuth
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", callTimeout="
                + callTimeout + ", maxResponseBytes=" + maxResponseBytes + ", retryPolicy=" + retryPolicy
                + ", circuitBreakerPolicy=" + circuitBreakerPolicy + ", passportRequest=" + passportRequest
                + ", passportRefreshPolicy=" + passportRefreshPolicy + ", audit=" + auditConfig
                + ", revocationStaleness=" + revocationStaleness + ", revocationFailOpen=" + revocationFailOpen
                + ", sharedOkHttpClient=" + sharedOkHttpClient
                + ", clock=" + clock + '}';
    }

    /** See {@link StackClient#currentMission()}. */
    Mission currentMission() {
        if (agentPassport instanceof CurrentMissionPassport c) {
            return c.mission();
        }
        throw new StackConfigurationException(
                agentId == null
                        ? "agentId: required for the agent's own mission (currentMission())"
                        : "mission: the agent's own passport has no mission; set StackClient.Builder.mission(...) or"
                                + " missionRequest(...)");
    }

    /** See {@link StackClient#audit()}. */
    AuditWriter auditWriter() {
        DefaultAuditWriter a = audit;
        if (a == null) {
            throw new StackConfigurationException(
                    "audit: not configured (StackClient.Builder.audit(AuditConfig.builder(spoolDirectory).build()))");
        }
        return a;
    }

    /** See {@link StackClient#revocationCheck()}. */
    RevocationCheck revocationCheck() {
        RevocationFollower f = revocationFollower;
        if (f == null) {
            throw new StackConfigurationException("revocation follower: disabled on this client");
        }
        return vp -> f.isRevoked(vp.jti(), vp.issuedAt(), vp.expiresAt());
    }

    /**
     * Returns the agent's own passport.
     *
     * @return the passport
     * @throws StackConfigurationException if no {@code agentId} was configured
     */
    AgentPassport passport() {
        AgentPassport p = agentPassport;
        if (p == null) {
            throw new StackConfigurationException("agentId: required for the agent's own passport (passport())");
        }
        return p;
    }

    /**
     * Releases what the client owns: every lease, the intents' waits, the revocation follower, the audit writer, a
     * credentials-file token exchange in flight, the scheduler, and the OkHttp client's threads and connections unless it was shared. Called once.
     */
    void close() {
        leases.close();
        intents.close();
        RevocationFollower rf = revocationFollower;
        if (rf != null) {
            rf.close(); // cancels a parked long poll at once
        }
        DefaultAuditWriter a = audit;
        if (a != null) {
            a.close(); // logs what it could not deliver; the spool keeps it
        }
        RefreshTokenBearer rt = refreshTokenBearer;
        if (rt != null) {
            rt.close(); // releases callers waiting for a token exchange and cancels its call
        }
        scheduler.close();
        if (!sharedOkHttpClient) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
