package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Seeds the fake in a few lines of Java, bypassing HTTP (no journal entries, but audit entries as STACK would
 * write them). Methods without an operator id use the fake's default operator.
 *
 * <pre>{@code
 * String agent = fake.seed().agent("research-bot");
 * String openai = fake.seed().connection("openai", "sk-test-123", "chat");
 * fake.seed().grant(agent, openai, "chat");
 * SeededPassport p = fake.seed().passport(agent, "summarise papers", "openai");
 *
 * String bot = fake.seed().newAgent("bot").mode(AccountabilityMode.STANDARD).credentialAccess(CredentialAccess.DIRECT).create();
 * String sftp = fake.seed().newConnection("custom_sftp_server").field("host", "h").field("password", "p").scopes("read").create();
 * fake.seed().newGrant(bot, openai).scopes("chat").constraint("method", ConstraintOp.EQ, "POST").create();
 * SeededPassport q = fake.seed().newPassport(bot).ttl(Duration.ofMinutes(5)).scopes(openai, "chat").create();
 * }</pre>
 */
public final class Seed {
    private final Engine engine;
    private final String defaultOperatorId;

    Seed(Engine engine, String defaultOperatorId) {
        this.engine = engine;
        this.defaultOperatorId = defaultOperatorId;
    }

    /**
     * Creates another operator with a fresh API key.
     *
     * @param name display name
     * @return the operator and its key
     */
    public SeededOperator operator(String name) {
        Objects.requireNonNull(name, "name");
        String key = "sk_live_op_" + Engine.newId("", 40);
        return new SeededOperator(call(() -> engine.createOperator(name, key)), key);
    }

    /**
     * Registers an agent for the default operator in hosted STACK's base posture, as {@code POST
     * /v1/agents/register} with only a name does: {@code logged} and {@code proxy_only} (it never receives raw
     * credentials or leases; use {@link #newAgent(String)} with {@link AgentSeed#credentialAccess(CredentialAccess)}
     * for that).
     *
     * @param name agent name ({@code ^[a-z0-9][a-z0-9_-]*[a-z0-9]$})
     * @return the agent id
     */
    public String agent(String name) {
        return call(() -> engine.seedAgent(defaultOperatorId, name, null));
    }

    /**
     * Registers an agent with an accountability mode for the default operator; its {@code credential_access} is
     * the registration default, {@code proxy_only}.
     *
     * @param name agent name
     * @param accountabilityMode {@code enforced}, {@code logged} or {@code standard}
     * @return the agent id
     */
    public String agent(String name, String accountabilityMode) {
        return agent(defaultOperatorId, name, accountabilityMode);
    }

    /**
     * Registers an agent for an operator; its {@code credential_access} is the registration default, {@code
     * proxy_only}.
     *
     * @param operatorId operator
     * @param name agent name
     * @param accountabilityMode mode
     * @return the agent id
     */
    public String agent(String operatorId, String name, String accountabilityMode) {
        return call(() -> engine.seedAgent(operatorId, name, accountabilityMode));
    }

    /**
     * Starts seeding an agent of the default operator with typed settings ({@link AgentSeed#create()} registers
     * it).
     *
     * @param name agent name ({@code ^[a-z0-9][a-z0-9_-]*[a-z0-9]$})
     * @return the builder
     */
    public AgentSeed newAgent(String name) {
        return new AgentSeed(engine, defaultOperatorId, name);
    }

    /**
     * Starts changing an existing agent's settings ({@link AgentSettings#apply()} applies them).
     *
     * @param agentId agent
     * @return the change
     */
    public AgentSettings agentSettings(String agentId) {
        return new AgentSettings(engine, agentId);
    }

    /**
     * Starts seeding a service connection of the default operator ({@link ConnectionSeed#create()} connects it).
     *
     * @param provider provider slug, e.g. {@code openai}
     * @return the builder
     */
    public ConnectionSeed newConnection(String provider) {
        return new ConnectionSeed(engine, defaultOperatorId, provider);
    }

    /**
     * Starts seeding a grant, e.g. with proxy constraints ({@link GrantSeed#create()} grants it).
     *
     * @param agentId agent
     * @param connectionId connection
     * @return the builder
     */
    public GrantSeed newGrant(String agentId, String connectionId) {
        return new GrantSeed(engine, agentId, connectionId);
    }

    /**
     * Connects a single-credential service for the default operator (stored envelope-encrypted).
     *
     * @param provider provider slug, e.g. {@code openai}
     * @param credential the secret value
     * @param scopes connection scopes
     * @return the connection id
     */
    public String connection(String provider, String credential, String... scopes) {
        return call(() -> engine.seedConnection(defaultOperatorId, provider, scopesOf(scopes), credential, null));
    }

    /**
     * Connects a single-credential service for an operator.
     *
     * @param operatorId operator
     * @param provider provider slug
     * @param credential the secret
     * @param scopes scopes
     * @return the connection id
     */
    public String connectionFor(String operatorId, String provider, String credential, String... scopes) {
        return call(() -> engine.seedConnection(operatorId, provider, scopesOf(scopes), credential, null));
    }

    /**
     * Connects a multi-field service (e.g. {@code custom_sftp_server}) for the default operator.
     *
     * @param provider provider slug
     * @param fields field name to secret value
     * @param scopes scopes
     * @return the connection id
     */
    public String multiFieldConnection(String provider, Map<String, String> fields, String... scopes) {
        return call(
                () -> engine.seedConnection(defaultOperatorId, provider, scopesOf(scopes), null, Map.copyOf(fields)));
    }

    /**
     * Adds a service to the catalog.
     *
     * @param provider slug
     * @param name display name
     * @param authType {@code oauth}, {@code api_key} or {@code multi_field}
     * @param fields multi-field names (empty otherwise)
     * @return the catalog id ({@code svc_…})
     */
    public String service(String provider, String name, String authType, List<String> fields) {
        if (!List.of("oauth", "api_key", "multi_field").contains(authType)) {
            throw new IllegalArgumentException("authType must be oauth, api_key or multi_field: " + authType);
        }
        return engine.addCatalog(provider, name, authType, fields);
    }

    /**
     * Grants an agent scopes on a connection.
     *
     * @param agentId agent
     * @param connectionId connection
     * @param scopes at least one
     */
    public void grant(String agentId, String connectionId, String... scopes) {
        call(() -> {
            engine.seedGrant(agentId, connectionId, scopesOf(scopes), List.of());
            return null;
        });
    }

    /**
     * Fixes an agent's credential-burst baseline in requests per window (otherwise measured over the look-back).
     *
     * @param agentId agent
     * @param requestsPerWindow baseline, not negative
     */
    public void baseline(String agentId, double requestsPerWindow) {
        if (!(requestsPerWindow >= 0)) {
            throw new IllegalArgumentException("requestsPerWindow must be >= 0");
        }
        engine.seedBaseline(agentId, requestsPerWindow);
    }

    /**
     * Issues a passport with all of the agent's grants and the given intent (as {@code POST
     * /v1/passports/issue}), for a mission seeding opens from that intent (every passport belongs to a mission).
     *
     * @param agentId agent
     * @param intentSummary intent summary
     * @param intentServices provider slugs the intent names
     * @return the passport
     */
    public SeededPassport passport(String agentId, String intentSummary, String... intentServices) {
        ObjectNode body = Json.object();
        ObjectNode intent = body.putObject("intent");
        intent.put("summary", intentSummary);
        intent.set("services", Json.strings(Arrays.asList(intentServices)));
        return passport(agentId, body);
    }

    /**
     * Starts seeding a passport with typed fields: intent, TTL, scopes ({@link PassportSeed#create()} issues it).
     *
     * @param agentId agent
     * @return the builder
     */
    public PassportSeed newPassport(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return new PassportSeed(body -> passport(agentId, body));
    }

    private SeededPassport passport(String agentId, ObjectNode body) {
        ObjectNode r = call(() -> engine.seedPassport(agentId, body));
        return new SeededPassport(
                r.path("jti").asText(),
                r.path("token").asText(),
                agentId,
                r.path("session_id").asText(),
                Instant.parse(r.path("expires_at").asText()),
                r.path("mission_id").asText());
    }

    /**
     * Opens a mission for an agent of the default operator (as {@code POST /v1/missions/open}); give its id to {@code
     * mission_ids} or to the SDK.
     *
     * @param agentId the agent it is assigned to
     * @param intentSummary what it is for
     * @param services the provider slugs it is for
     * @return the mission id
     */
    public String mission(String agentId, String intentSummary, String... services) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(intentSummary, "intentSummary");
        return call(() -> engine.locked(() -> engine.missions()
                .seedMission(engine.agentOperator(agentId), agentId, intentSummary, List.of(services))));
    }

    /**
     * Opens a mission with caps for an agent of the default operator.
     *
     * @param agentId the agent it is assigned to
     * @param intentSummary what it is for
     * @param limits {@code max_actions}, {@code max_cents}, {@code max_seconds}, {@code max_bytes} and {@code
     *     max_actions_per_service.<slug>} to positive values
     * @param services the provider slugs it is for
     * @return the mission id
     */
    public String mission(String agentId, String intentSummary, Map<String, Long> limits, String... services) {
        String id = mission(agentId, intentSummary, services);
        call(() -> engine.locked(() -> {
            engine.missionCaps().seedLimits(id, limits);
            return id;
        }));
        return id;
    }

    /**
     * Sets what each proxied call to a provider charges the mission it runs under, in cents, counted against the
     * mission's {@code max_cents} cap (wire protocol §10.4.5). Hosted STACK meters proxy calls but publishes no
     * price, so the fake charges nothing until a test sets one; {@link FakeControlPlane#reset()} clears prices.
     *
     * @param provider provider slug, e.g. {@code openai}
     * @param cents cents per call, not negative
     * @throws IllegalArgumentException if cents is negative
     */
    public void proxyCallPrice(String provider, long cents) {
        Objects.requireNonNull(provider, "provider");
        if (cents < 0) {
            throw new IllegalArgumentException("cents must be >= 0");
        }
        engine.locked(() -> {
            engine.missionCaps().priceProxyCalls(provider, cents);
            return provider;
        });
    }

    /**
     * Adds an active team member to the default operator with access to every service connection (wire protocol
     * §1.4). Its key works on every route that admits its role; operator-only routes (security events) refuse it
     * with 403.
     *
     * @param role {@code readonly}, {@code standard} or {@code admin}
     * @return the member and its key
     * @throws IllegalArgumentException on another role
     */
    public SeededMember member(String role) {
        Objects.requireNonNull(role, "role");
        return member(defaultOperatorId, role, null);
    }

    /**
     * Adds an active team member to the default operator limited to some service connections: credential reads,
     * leases and proxy calls through any other connection answer 403.
     *
     * @param role {@code readonly}, {@code standard} or {@code admin}
     * @param allowedConnections the service connection ids it may use (may be empty)
     * @return the member and its key
     * @throws IllegalArgumentException on another role
     */
    public SeededMember member(String role, List<String> allowedConnections) {
        Objects.requireNonNull(role, "role");
        return member(defaultOperatorId, role, List.copyOf(allowedConnections));
    }

    /**
     * Adds an active team member to an operator.
     *
     * @param operatorId operator
     * @param role {@code readonly}, {@code standard} or {@code admin}
     * @param allowedConnections the connections it may use, or null for all
     * @return the member and its key
     * @throws IllegalArgumentException on another role
     */
    public SeededMember member(String operatorId, String role, @Nullable List<String> allowedConnections) {
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(role, "role");
        String[] created = engine.createMember(operatorId, role, allowedConnections);
        return new SeededMember(created[0], created[1]);
    }

    /**
     * Revokes a team member: its key is refused (401 {@code INVALID_API_KEY}) from the next request on, as after
     * STACK's {@code DELETE /v1/team/members/{id}}.
     *
     * @param memberId the member id
     * @throws IllegalArgumentException when unknown
     */
    public void revokeMember(String memberId) {
        Objects.requireNonNull(memberId, "memberId");
        engine.revokeMember(memberId);
    }

    /**
     * Issues a refresh token for the default operator, as {@code stack-cli auth login} stores in {@code
     * ~/.stack/credentials.json}. {@code POST /v1/oauth/token} exchanges it once for a 5-minute access token and a new
     * refresh token; a reused token is refused with {@code invalid_grant}.
     *
     * @return the refresh token (a secret)
     */
    public String refreshToken() {
        return engine.issueRefreshToken(defaultOperatorId);
    }

    /**
     * Makes every enforced passport's proxy call and skill invocation need an approved intent ({@code approval_id}),
     * as hosted STACK does (wire protocol §14.3). Off when the fake starts and after a reset, so tests written before intent approvals keep
     * working.
     *
     * @param required whether approvals are required
     * @return this seed
     */
    public Seed intentApprovalsRequired(boolean required) {
        engine.intents().requireApprovals(required);
        return this;
    }

    /**
     * Says whether intent approvals name the passport they were submitted under ({@code passport_jti}, an Extension
     * member of wire protocol §14.2). With {@code false} the fake answers as STACK's live tools document the approval,
     * without it; a rejection still revokes that passport. On when the fake starts and after a reset.
     *
     * @param named whether answers carry {@code passport_jti}
     * @return this seed
     */
    public Seed intentApprovalsNamePassport(boolean named) {
        engine.intents().namePassport(named);
        return this;
    }

    /**
     * Makes operator writes that loosen anything (unblocking an agent, a new or wider grant) answer {@code
     * GOVERNANCE_APPROVAL_REQUIRED} until a person approves them, as hosted STACK does for API-key sessions (wire
     * protocol §14.4). Off when the fake starts and after a reset.
     *
     * @param required whether approvals are required
     * @return this seed
     */
    public Seed governanceApprovalsRequired(boolean required) {
        engine.governance().requireApprovals(required);
        return this;
    }

    /**
     * Runs a seeding call: STACK's 400/404 answers become IllegalArgumentException (bad input, unknown id), other
     * refusals (a blocked or suspended agent, a name clash) IllegalStateException.
     */
    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (ApiError e) {
            if (e.status() == 400 || e.status() == 404) {
                throw new IllegalArgumentException("seeding refused: " + e.getMessage(), e);
            }
            throw new IllegalStateException("seeding refused: " + e.getMessage(), e);
        }
    }

    private static List<String> scopesOf(String... scopes) {
        if (scopes.length == 0) {
            throw new IllegalArgumentException("at least one scope is required");
        }
        return List.of(scopes);
    }

    @Override
    public String toString() {
        return "Seed[operator=" + defaultOperatorId + "]";
    }
}
