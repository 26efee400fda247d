package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.FakeRoute;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.internal.agentkeys.AgentKeyService;
import run.getstack.sdk.testkit.internal.agentkeys.AgentKeysModule;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.agents.AgentsModule;
import run.getstack.sdk.testkit.internal.audit.AuditChain;
import run.getstack.sdk.testkit.internal.audit.AuditModule;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.controls.ControlService;
import run.getstack.sdk.testkit.internal.controls.ControlsModule;
import run.getstack.sdk.testkit.internal.dropoffs.DropoffService;
import run.getstack.sdk.testkit.internal.dropoffs.DropoffsModule;
import run.getstack.sdk.testkit.internal.events.EventsModule;
import run.getstack.sdk.testkit.internal.events.SecurityEvents;
import run.getstack.sdk.testkit.internal.grants.GrantService;
import run.getstack.sdk.testkit.internal.grants.GrantsModule;
import run.getstack.sdk.testkit.internal.identity.IdentityModule;
import run.getstack.sdk.testkit.internal.identity.IdentityService;
import run.getstack.sdk.testkit.internal.intents.GovernanceService;
import run.getstack.sdk.testkit.internal.intents.IntentService;
import run.getstack.sdk.testkit.internal.intents.IntentsModule;
import run.getstack.sdk.testkit.internal.keys.KeysModule;
import run.getstack.sdk.testkit.internal.keys.SigningKeys;
import run.getstack.sdk.testkit.internal.leases.LeasesModule;
import run.getstack.sdk.testkit.internal.members.MemberService;
import run.getstack.sdk.testkit.internal.members.MembersModule;
import run.getstack.sdk.testkit.internal.missions.MissionCaps;
import run.getstack.sdk.testkit.internal.missions.MissionService;
import run.getstack.sdk.testkit.internal.missions.MissionsModule;
import run.getstack.sdk.testkit.internal.oauth.OAuthModule;
import run.getstack.sdk.testkit.internal.oauth.TokenService;
import run.getstack.sdk.testkit.internal.operators.OperatorService;
import run.getstack.sdk.testkit.internal.operators.OperatorsModule;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.passports.PassportsModule;
import run.getstack.sdk.testkit.internal.pipeline.AgentAccessFilter;
import run.getstack.sdk.testkit.internal.pipeline.AuthenticationFilter;
import run.getstack.sdk.testkit.internal.pipeline.ErrorEnvelopeFilter;
import run.getstack.sdk.testkit.internal.pipeline.GuardFilter;
import run.getstack.sdk.testkit.internal.pipeline.HandlerStep;
import run.getstack.sdk.testkit.internal.pipeline.IdempotencyFilter;
import run.getstack.sdk.testkit.internal.pipeline.IdempotencyStore;
import run.getstack.sdk.testkit.internal.pipeline.MemberAccessFilter;
import run.getstack.sdk.testkit.internal.pipeline.Pipeline;
import run.getstack.sdk.testkit.internal.pipeline.Principal;
import run.getstack.sdk.testkit.internal.pipeline.RoutingFilter;
import run.getstack.sdk.testkit.internal.proxy.Proxy;
import run.getstack.sdk.testkit.internal.proxy.ProxyModule;
import run.getstack.sdk.testkit.internal.revocation.RevocationFeed;
import run.getstack.sdk.testkit.internal.revocation.RevocationModule;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.route.RouteTable;
import run.getstack.sdk.testkit.internal.services.ConnectionService;
import run.getstack.sdk.testkit.internal.services.ServicesModule;
import run.getstack.sdk.testkit.internal.skills.SkillService;
import run.getstack.sdk.testkit.internal.skills.SkillsModule;
import run.getstack.sdk.testkit.internal.state.FakeConfig;
import run.getstack.sdk.testkit.internal.state.FakeModule;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.ModuleContext;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Assembles the fake: installs every resource module (each registers its store, its
 * service and its routes), builds the route table (a duplicate route fails here) and the request pipeline, and
 * offers the Java API that {@code FakeControlPlane}, {@code Seed} and {@code AuditLog} use.
 *
 * <p>Adding a resource: a new package under {@code testkit.internal} with a {@link FakeModule}, and one line in
 * {@link #MODULES}.
 */
public final class Engine {
    /** Genesis previous-hash of every chain. */
    public static final String GENESIS = AuditChain.GENESIS;

    /** Every resource of the fake; order only decides the route order within a path shape (the Allow header). */
    static final List<Supplier<FakeModule>> MODULES = List.of(
            OperatorsModule::new,
            MembersModule::new,
            OAuthModule::new,
            AuditModule::new,
            KeysModule::new,
            AgentsModule::new,
            GrantsModule::new,
            AgentKeysModule::new,
            PassportsModule::new,
            ServicesModule::new,
            LeasesModule::new,
            ProxyModule::new,
            RevocationModule::new,
            EventsModule::new,
            MissionsModule::new,
            ControlsModule::new,
            IdentityModule::new,
            SkillsModule::new,
            DropoffsModule::new,
            IntentsModule::new);

    private final FakeState state;
    private final Services services;
    private final RouteTable routes;
    private final Pipeline pipeline;

    /**
     * Creates an engine.
     *
     * @param clock the clock for every time decision
     * @param issuer passport {@code iss}
     * @param detectors detector settings
     * @param keyGrace how long a retired signing key stays in the JWKS
     * @param proxy the upstream forwarder
     * @param stackV1Only whether the project's extension routes answer as unknown routes
     */
    public Engine(
            Clock clock, String issuer, DetectorConfig detectors, Duration keyGrace, Proxy proxy, boolean stackV1Only) {
        this(clock, new FakeConfig(issuer, detectors, keyGrace, proxy), stackV1Only, MODULES);
    }

    Engine(Clock clock, FakeConfig config, boolean stackV1Only, List<Supplier<FakeModule>> modules) {
        this.state = new FakeState(clock);
        this.services = new Services();
        ModuleContext ctx = new ModuleContext(state, services, config);
        for (Supplier<FakeModule> m : modules) {
            m.get().install(ctx);
        }
        this.routes = new RouteTable(ctx.declaredRoutes(), stackV1Only);
        IdempotencyStore idempotency = state.register(new IdempotencyStore());
        this.pipeline = new Pipeline(
                List.of(
                        new ErrorEnvelopeFilter(),
                        new RoutingFilter(routes),
                        new AuthenticationFilter(state, this::authenticate),
                        new MemberAccessFilter(),
                        new AgentAccessFilter(state),
                        new IdempotencyFilter(
                                state,
                                idempotency,
                                (operatorId, token, requestId) ->
                                        service(PassportChecks.class).present(operatorId, token, false, requestId)),
                        new GuardFilter(state, guards(ctx))),
                new HandlerStep(state));
    }

    private static java.util.Map<String, List<run.getstack.sdk.testkit.internal.route.RouteGuard>> guards(
            ModuleContext ctx) {
        java.util.Set<String> declared = new java.util.HashSet<>();
        ctx.declaredRoutes().forEach(r -> declared.add(r.method() + " " + r.pattern()));
        var guards = ctx.declaredGuards();
        for (String route : guards.keySet()) {
            if (!declared.contains(route)) {
                throw new IllegalStateException("a guard names a route no module declares: " + route);
            }
        }
        return guards;
    }

    private Principal authenticate(String token) {
        if (token.startsWith("eyJ")) {
            return service(AgentKeyService.class).authenticate(token);
        }
        if (token.startsWith("sat_")) { // an access token from the refresh-token grant (§1.4)
            return new Principal(service(TokenService.class).authenticate(token), null);
        }
        MemberService.Match member = service(MemberService.class).authenticate(token); // members first (§1.4)
        if (member != null) {
            return new Principal(member.operatorId(), null, member.member());
        }
        return new Principal(service(OperatorService.class).authenticate(token), null);
    }

    private <T> T service(Class<T> type) {
        return services.get(type);
    }

    /**
     * The request pipeline from error mapping to the handler; the HTTP front puts its own filters in front.
     *
     * @return the pipeline
     */
    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * Every declared route.
     *
     * @return method, pattern, origin
     */
    public List<FakeRoute> routes() {
        return routes.describe();
    }

    // ------------------------------------------------------------------ ids, time, hashes (stable static API)

    /**
     * A random id: prefix plus {@code n} chars of {@code [a-z0-9]}.
     *
     * @param prefix prefix
     * @param n random chars
     * @return the id
     */
    public static String newId(String prefix, int n) {
        return Wire.newId(prefix, n);
    }

    /**
     * ISO-8601 with exactly three fractional digits.
     *
     * @param t instant
     * @return text
     */
    public static String iso(Instant t) {
        return Wire.iso(t);
    }

    /**
     * STACK's documented entry hash.
     *
     * @param entryId entry id
     * @param timestamp ms
     * @param operatorId operator
     * @param agentId agent or null
     * @param layer layer
     * @param action action
     * @param outcome outcome
     * @param prevEntryHash previous hash
     * @return lower-case hex
     */
    public static String entryHash(
            String entryId,
            long timestamp,
            String operatorId,
            @Nullable String agentId,
            String layer,
            String action,
            String outcome,
            String prevEntryHash) {
        return AuditChain.entryHash(entryId, timestamp, operatorId, agentId, layer, action, outcome, prevEntryHash);
    }

    /**
     * The wire form of an audit entry.
     *
     * @param e entry
     * @return JSON
     */
    public static ObjectNode auditJson(AuditEntry e) {
        return AuditService.auditJson(e);
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return state.clock();
    }

    // ------------------------------------------------------------------ seeding (Java API)

    /**
     * Adds (or replaces) a catalog service.
     *
     * @param provider slug
     * @param name display name
     * @param authType {@code oauth}, {@code api_key} or {@code multi_field}
     * @param fields multi-field names
     * @return the catalog id
     */
    public String addCatalog(String provider, String name, String authType, List<String> fields) {
        return service(ConnectionService.class).addCatalog(provider, name, authType, fields);
    }

    /**
     * Adds a team member.
     *
     * @param operatorId operator
     * @param role {@code readonly}, {@code standard} or {@code admin}
     * @param allowedConnections connections or null for all
     * @return {@code [memberId, apiKey]}
     */
    public String[] createMember(String operatorId, String role, @Nullable List<String> allowedConnections) {
        return service(MemberService.class).create(operatorId, MemberRole.fromWire(role), allowedConnections);
    }

    /**
     * Issues a refresh token.
     *
     * @param operatorId operator
     * @return the token
     */
    public String issueRefreshToken(String operatorId) {
        return service(TokenService.class).issueRefreshToken(operatorId);
    }

    /**
     * Revokes a team member.
     *
     * @param memberId member
     */
    public void revokeMember(String memberId) {
        service(MemberService.class).revoke(memberId);
    }

    /**
     * Creates an operator with one API key; only the key's SHA-256 is kept.
     *
     * @param name display name
     * @param apiKey the plaintext key
     * @return the operator id
     */
    public String createOperator(String name, String apiKey) {
        return service(OperatorService.class).create(name, apiKey);
    }

    /**
     * Registers an agent directly.
     *
     * @param operatorId operator
     * @param name agent name
     * @param mode accountability mode, or null for the registration default
     * @return the agent id
     */
    public String seedAgent(String operatorId, String name, @Nullable String mode) {
        return state.locked(() -> {
            service(OperatorService.class).get(operatorId);
            ObjectNode body = Json.object();
            body.put("name", name);
            if (mode != null) {
                body.put("accountability_mode", mode);
            }
            return service(AgentService.class).register(operatorId, Body.of(body, ""), null).id;
        });
    }

    /**
     * Connects a service directly, with either a single credential or fields.
     *
     * @param operatorId operator
     * @param provider provider slug
     * @param scopes granted scopes
     * @param credential single value or null
     * @param fields multi-field values or null
     * @return the connection id
     */
    public String seedConnection(
            String operatorId,
            String provider,
            List<String> scopes,
            @Nullable String credential,
            @Nullable Map<String, String> fields) {
        return service(ConnectionService.class).seed(operatorId, provider, scopes, credential, fields);
    }

    /**
     * Grants an agent scopes on a connection directly.
     *
     * @param agentId agent
     * @param connectionId connection
     * @param scopes scopes
     * @param constraints constraint objects {@code {path, op, value}} (validated)
     */
    public void seedGrant(String agentId, String connectionId, List<String> scopes, List<ObjectNode> constraints) {
        service(GrantService.class).seed(agentId, connectionId, scopes, constraints);
    }

    /**
     * Sets an agent's burst baseline (requests per window), overriding the measured one.
     *
     * @param agentId agent
     * @param perWindow baseline, or null to measure
     */
    public void seedBaseline(String agentId, @Nullable Double perWindow) {
        state.locked(() -> {
            service(AgentService.class).require(agentId).seededBaseline = perWindow;
        });
    }

    /**
     * Issues a passport directly (as {@code POST /v1/passports/issue} with the given body).
     *
     * @param agentId agent
     * @param body issue request body
     * @return the issue response body
     */
    public ObjectNode seedPassport(String agentId, ObjectNode body) {
        return service(PassportService.class).seed(agentId, body);
    }

    /**
     * The missions service, for seeding and the owner's test hooks ({@code FakeControlPlane.owner()}).
     *
     * @return the service
     */
    public MissionService missions() {
        return service(MissionService.class);
    }

    /**
     * The missions' caps.
     *
     * @return the caps
     */
    public MissionCaps missionCaps() {
        return service(MissionCaps.class);
    }

    /**
     * The control policies and review holds, for seeding and the owner's test hooks.
     *
     * @return the service
     */
    public ControlService controls() {
        return service(ControlService.class);
    }

    /**
     * The identity service, for the provider's test hooks ({@code FakeControlPlane.identity()}).
     *
     * @return the service
     */
    public IdentityService identity() {
        return service(IdentityService.class);
    }

    /**
     * The skills service, for registering skills ({@code FakeControlPlane.skill(name)}).
     *
     * @return the service
     */
    public SkillService skills() {
        return service(SkillService.class);
    }

    /**
     * The drop-offs service, for the fake's drop-off test hooks ({@code FakeControlPlane.dropoffs()}).
     *
     * @return the service
     */
    public DropoffService dropoffs() {
        return service(DropoffService.class);
    }

    /**
     * The intent approvals service, for seeding and the owner's test hooks.
     *
     * @return the service
     */
    public IntentService intents() {
        return service(IntentService.class);
    }

    /**
     * The governance approvals service, for seeding and the owner's test hooks.
     *
     * @return the service
     */
    public GovernanceService governance() {
        return service(GovernanceService.class);
    }

    /**
     * The passports service, for the owner's test hooks.
     *
     * @return the service
     */
    public PassportService passports() {
        return service(PassportService.class);
    }

    /**
     * The operator of an agent (for seeding).
     *
     * @param agentId the agent
     * @return its operator
     */
    public String agentOperator(String agentId) {
        return state.locked(() -> service(AgentService.class).require(agentId).operatorId);
    }

    /**
     * Runs an action under the state lock (for the owner's test hooks).
     *
     * @param action the action
     * @param <T> its result
     * @return its result
     */
    public <T> T locked(Supplier<T> action) {
        return state.locked(action);
    }

    /**
     * Sets agent settings directly (as PATCH).
     *
     * @param agentId agent
     * @param patch fields
     */
    public void seedAgentPatch(String agentId, ObjectNode patch) {
        state.locked(() -> {
            AgentService agents = service(AgentService.class);
            Agent a = agents.require(agentId);
            agents.patch(a.operatorId, a, Body.of(patch, ""), "seed");
        });
    }

    /**
     * Clears all state except the given operators (kept with their keys) and the current signing key: every store
     * resets itself.
     *
     * @param keep operator ids to keep
     */
    public void reset(Collection<String> keep) {
        service(OperatorService.class).pin(keep);
        state.reset();
    }

    // ------------------------------------------------------------------ signing keys

    /**
     * Starts signing with a new key; the old one is retired and kept for the grace period.
     *
     * @return the new kid
     */
    public String rotateSigningKey() {
        return service(SigningKeys.class).rotate();
    }

    /**
     * Sets the retired-key grace period.
     *
     * @param grace the grace
     */
    public void keyGrace(Duration grace) {
        service(SigningKeys.class).keyGrace(grace);
    }

    /**
     * The JWKS document.
     *
     * @return {@code {"keys":[...]}}
     */
    public ObjectNode jwks() {
        return service(SigningKeys.class).jwks();
    }

    /**
     * Listed signing keys: kid, created, retired (null for current), public key.
     *
     * @return rows
     */
    public List<Object[]> signingKeyRows() {
        return service(SigningKeys.class).rows();
    }

    /**
     * Signs arbitrary header and claims with the current key (test hook).
     *
     * @param header header
     * @param claims claims
     * @return the token
     */
    public String mint(ObjectNode header, ObjectNode claims) {
        return service(SigningKeys.class).mint(header, claims);
    }

    /**
     * Signs arbitrary header and claims with the given key (test hook).
     *
     * @param header header
     * @param claims claims
     * @param key private key
     * @return the token
     */
    public static String mint(ObjectNode header, ObjectNode claims, PrivateKey key) {
        return SigningKeys.mint(header, claims, key);
    }

    /**
     * The current signing kid.
     *
     * @return kid
     */
    public String currentKid() {
        return service(SigningKeys.class).currentKid();
    }

    // ------------------------------------------------------------------ snapshots and test hooks

    /**
     * The signed claims of a stored passport, for building attack tokens.
     *
     * @param jti passport
     * @return a copy of the claims
     */
    public ObjectNode passportClaims(String jti) {
        return service(PassportService.class).claimsCopy(jti);
    }

    /**
     * Sets the audit export page size.
     *
     * @param rows 1 to 50,000
     */
    public void auditExportPageSize(int rows) {
        service(AuditService.class).exportPageSize(rows);
    }

    /**
     * A snapshot of an operator's chain in append order.
     *
     * @param operatorId operator
     * @return entries
     */
    public List<AuditEntry> auditEntries(String operatorId) {
        return service(AuditService.class).entries(operatorId);
    }

    /**
     * Verifies an operator's chain.
     *
     * @param operatorId operator
     * @return the result
     */
    public ChainVerification verifyChain(String operatorId) {
        return service(AuditService.class).verifyChain(operatorId);
    }

    /**
     * Tamper hook: replaces the entry at an index (without recomputing any hash).
     *
     * @param operatorId operator
     * @param index position
     * @param replacement new entry
     */
    public void tamperReplace(String operatorId, int index, AuditEntry replacement) {
        service(AuditService.class).tamperReplace(operatorId, index, replacement);
    }

    /**
     * Tamper hook: removes the entry at an index.
     *
     * @param operatorId operator
     * @param index position
     */
    public void tamperRemove(String operatorId, int index) {
        service(AuditService.class).tamperRemove(operatorId, index);
    }

    /**
     * Tamper hook: swaps two entries.
     *
     * @param operatorId operator
     * @param i first
     * @param j second
     */
    public void tamperSwap(String operatorId, int i, int j) {
        service(AuditService.class).tamperSwap(operatorId, i, j);
    }

    /**
     * All security events, oldest first.
     *
     * @return snapshot
     */
    public List<SecurityEvent> securityEvents() {
        return service(SecurityEvents.class).snapshot();
    }

    /**
     * Whether an agent is passport-blocked.
     *
     * @param agentId agent
     * @return the flag
     */
    public boolean isPassportBlocked(String agentId) {
        return state.locked(() -> service(AgentService.class).require(agentId).passportBlocked);
    }

    /**
     * Whether a passport is revoked.
     *
     * @param jti passport
     * @return the flag
     */
    public boolean isRevoked(String jti) {
        return service(PassportService.class).isRevoked(jti);
    }

    /**
     * How many revocation-feed long-polls are parked waiting for an event.
     *
     * @return the count
     */
    public int feedWaiters() {
        return service(RevocationFeed.class).waiters();
    }

    /** Ends every parked long-poll at once (used by close). */
    public void wakeWaiters() {
        service(RevocationFeed.class).wakeWaiters();
    }
}
