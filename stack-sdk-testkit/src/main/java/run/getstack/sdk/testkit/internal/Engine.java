package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ChainVerification;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.Signal;
import run.getstack.sdk.testkit.internal.Model.Agent;
import run.getstack.sdk.testkit.internal.Model.CatalogService;
import run.getstack.sdk.testkit.internal.Model.ClientChainState;
import run.getstack.sdk.testkit.internal.Model.Connection;
import run.getstack.sdk.testkit.internal.Model.Grant;
import run.getstack.sdk.testkit.internal.Model.Lease;
import run.getstack.sdk.testkit.internal.Model.LeaseState;
import run.getstack.sdk.testkit.internal.Model.Operator;
import run.getstack.sdk.testkit.internal.Model.Passport;
import run.getstack.sdk.testkit.internal.Model.Principal;
import run.getstack.sdk.testkit.internal.Model.RevocationEvent;
import run.getstack.sdk.testkit.internal.Model.ServiceScope;
import run.getstack.sdk.testkit.internal.Model.SigningKey;
import run.getstack.sdk.testkit.internal.Model.StoredResponse;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;
import run.getstack.sdk.testkit.internal.crypto.Envelope;
import run.getstack.sdk.testkit.internal.crypto.EnvelopeCipher;
import run.getstack.sdk.testkit.internal.crypto.Hashes;

/**
 * Internal, not for public use. The fake control plane's state and every endpoint's logic. All state is guarded by
 * one lock; the proxy's upstream call and the revocation feed's wait run without holding it.
 */
public final class Engine {
    /** Genesis previous-hash of every chain. */
    public static final String GENESIS = "0".repeat(64);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern AGENT_NAME = Pattern.compile("^[a-z0-9][a-z0-9\\-]*[a-z0-9]$");
    private static final Pattern ACTION = Pattern.compile("^[a-z0-9_]+(\\.[a-z0-9_]+)*$");
    private static final Pattern HEX64 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
    private static final List<String> MODES = List.of("enforced", "logged", "standard");
    private static final List<String> ACTIONS = List.of("notify", "block");
    private static final List<String> ACCESS = List.of("direct", "proxy_preferred", "proxy_only");
    private static final int FEED_RETENTION = 10_000;
    private static final Duration IDEMPOTENCY_TTL = Duration.ofHours(24);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition revocationArrived = lock.newCondition();
    private final Clock clock;
    private final String issuer;
    private final DetectorConfig detectors;
    private volatile Duration keyGrace;
    private final Proxy proxy;

    private final Map<String, Operator> operators = new LinkedHashMap<>();
    private final Map<String, Agent> agents = new LinkedHashMap<>();
    private final Map<String, CatalogService> catalog = new LinkedHashMap<>();
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, Map<String, Grant>> grants = new HashMap<>();
    private final Map<String, Passport> passports = new LinkedHashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, List<AuditEntry>> audit = new HashMap<>();
    private final List<SecurityEvent> events = new ArrayList<>();
    private final Map<String, String> eventResolutionNotes = new HashMap<>();
    private final Deque<RevocationEvent> feed = new ArrayDeque<>();
    private long feedSeq;
    private final List<SigningKey> signingKeys = new ArrayList<>();
    private final Map<String, ClientChainState> clientChains = new HashMap<>();
    private final Map<String, StoredResponse> idempotency = new HashMap<>();
    private final Map<String, Instant> idempotencyFirstUse = new HashMap<>();
    private final Set<String> idempotencyInFlight = new HashSet<>();

    /**
     * Creates an engine.
     *
     * @param clock the clock for every time decision
     * @param issuer passport {@code iss}
     * @param detectors detector settings
     * @param keyGrace how long a retired signing key stays in the JWKS
     * @param proxy the upstream forwarder
     */
    public Engine(Clock clock, String issuer, DetectorConfig detectors, Duration keyGrace, Proxy proxy) {
        this.clock = clock;
        this.issuer = issuer;
        this.detectors = detectors;
        this.keyGrace = keyGrace;
        this.proxy = proxy;
        seedCatalog();
        rotateSigningKey();
    }

    // ------------------------------------------------------------------ ids, time

    /**
     * A random id: prefix plus {@code n} chars of {@code [a-z0-9]}.
     *
     * @param prefix prefix
     * @param n random chars
     * @return the id
     */
    public static String newId(String prefix, int n) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    private static String id(String prefix) {
        return newId(prefix, 24);
    }

    /**
     * ISO-8601 with exactly three fractional digits.
     *
     * @param t instant
     * @return text
     */
    public static String iso(Instant t) {
        return ISO.format(t);
    }

    private Instant now() {
        return clock.instant();
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ seeding (Java API)

    private void seedCatalog() {
        addCatalog("openai", "OpenAI", "api_key", List.of());
        addCatalog("anthropic", "Anthropic", "api_key", List.of());
        addCatalog("stripe", "Stripe", "api_key", List.of());
        addCatalog("slack", "Slack", "oauth", List.of());
        addCatalog("github", "GitHub", "oauth", List.of());
        addCatalog("google", "Google", "oauth", List.of());
        addCatalog("notion", "Notion", "oauth", List.of());
        addCatalog("custom_sftp_server", "SFTP server", "multi_field", List.of("host", "username", "password", "port"));
    }

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
        lock.lock();
        try {
            String slug = provider.replaceAll("[^a-z0-9]", "");
            String sid = "svc_" + (slug + "0".repeat(24)).substring(0, 24);
            catalog.put(provider, new CatalogService(sid, provider, name, authType, List.copyOf(fields)));
            return sid;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates an operator with one API key; only the key's SHA-256 is kept.
     *
     * @param name display name
     * @param apiKey the plaintext key
     * @return the operator id
     */
    public String createOperator(String name, String apiKey) {
        lock.lock();
        try {
            Operator op = new Operator(id("op_"), name, EnvelopeCipher.newTenantKey());
            op.keyHashes.add(Hashes.sha256(apiKey.getBytes(StandardCharsets.UTF_8)));
            operators.put(op.id, op);
            return op.id;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers an agent directly.
     *
     * @param operatorId operator
     * @param name agent name
     * @param mode accountability mode
     * @return the agent id
     */
    public String seedAgent(String operatorId, String name, String mode) {
        lock.lock();
        try {
            ObjectNode body = Json.object();
            body.put("name", name);
            body.put("accountability_mode", mode);
            return registerAgent(operator(operatorId), Body.of(body, ""), null).id;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            CatalogService svc = catalog.get(provider);
            if (svc == null) {
                throw new IllegalArgumentException("unknown provider: " + provider);
            }
            return connect(operator(operatorId), svc, scopes, credential, fields, null).id;
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            Agent a = requireAgent(agentId);
            Connection c = connections.get(connectionId);
            if (c == null || !c.operatorId.equals(a.operatorId)) {
                throw new IllegalArgumentException("unknown connection: " + connectionId);
            }
            ArrayNode arr = Json.MAPPER.createArrayNode();
            constraints.forEach(arr::add);
            ObjectNode holder = Json.object();
            holder.set("constraints", arr);
            List<ObjectNode> normalized = parseConstraints(Body.of(holder, ""));
            grants.computeIfAbsent(agentId, k -> new LinkedHashMap<>())
                    .put(
                            connectionId,
                            new Grant(agentId, connectionId, c.service.provider(), scopes, normalized, now()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets an agent's burst baseline (requests per window), overriding the measured one.
     *
     * @param agentId agent
     * @param perWindow baseline, or null to measure
     */
    public void seedBaseline(String agentId, @Nullable Double perWindow) {
        lock.lock();
        try {
            requireAgent(agentId).seededBaseline = perWindow;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Issues a passport directly (as {@code POST /v1/passports/issue} with the given body).
     *
     * @param agentId agent
     * @param body issue request body
     * @return the issue response body
     */
    public ObjectNode seedPassport(String agentId, ObjectNode body) {
        lock.lock();
        try {
            Agent a = requireAgent(agentId);
            body.put("agent_id", agentId);
            return issue(operator(a.operatorId), Body.of(body, ""), "seed");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets agent settings directly (as PATCH).
     *
     * @param agentId agent
     * @param patch fields
     */
    public void seedAgentPatch(String agentId, ObjectNode patch) {
        lock.lock();
        try {
            Agent a = requireAgent(agentId);
            patchAgent(operator(a.operatorId), a, Body.of(patch, ""), "seed");
        } finally {
            lock.unlock();
        }
    }

    private Agent requireAgent(String agentId) {
        Agent a = agents.get(agentId);
        if (a == null) {
            throw new IllegalArgumentException("unknown agent: " + agentId);
        }
        return a;
    }

    private Operator operator(String id) {
        Operator op = operators.get(id);
        if (op == null) {
            throw new IllegalArgumentException("unknown operator: " + id);
        }
        return op;
    }

    /**
     * Clears all state except the given operators (kept with their keys) and the current signing key.
     *
     * @param keep operator ids to keep
     */
    public void reset(Collection<String> keep) {
        lock.lock();
        try {
            operators.keySet().retainAll(keep);
            agents.clear();
            catalog.clear();
            seedCatalog();
            connections.clear();
            grants.clear();
            passports.clear();
            leases.clear();
            audit.clear();
            events.clear();
            eventResolutionNotes.clear();
            feed.clear();
            clientChains.clear();
            challenges.clear();
            usedChallenges.clear();
            idempotency.clear();
            idempotencyFirstUse.clear();
            idempotencyInFlight.clear();
            signingKeys.removeIf(k -> k.retiredAt != null);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ signing keys

    /**
     * Starts signing with a new key; the old one is retired and kept for the grace period.
     *
     * @return the new kid
     */
    public String rotateSigningKey() {
        lock.lock();
        try {
            Instant now = now();
            for (SigningKey k : signingKeys) {
                if (k.retiredAt == null) {
                    k.retiredAt = now;
                }
            }
            KeyPair pair = Ed25519.generate();
            SigningKey k = new SigningKey(thumbprint(Ed25519.x(pair.getPublic())), pair, now);
            signingKeys.add(0, k);
            return k.kid;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the retired-key grace period.
     *
     * @param grace the grace
     */
    public void keyGrace(Duration grace) {
        this.keyGrace = grace;
    }

    private static String thumbprint(String x) {
        String canon = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Hashes.sha256(canon.getBytes(StandardCharsets.UTF_8)));
    }

    private List<SigningKey> listedKeys() {
        Instant now = now();
        List<SigningKey> out = new ArrayList<>();
        for (SigningKey k : signingKeys) {
            Instant retired = k.retiredAt;
            if (retired == null || now.isBefore(retired.plus(keyGrace))) {
                out.add(k);
            }
        }
        return out;
    }

    private SigningKey currentKey() {
        return signingKeys.get(0);
    }

    /**
     * The JWKS document.
     *
     * @return {@code {"keys":[...]}}
     */
    public ObjectNode jwks() {
        lock.lock();
        try {
            ObjectNode root = Json.object();
            ArrayNode keys = root.putArray("keys");
            for (SigningKey k : listedKeys()) {
                ObjectNode j = keys.addObject();
                j.put("kty", "OKP");
                j.put("crv", "Ed25519");
                j.put("x", Ed25519.x(k.pair.getPublic()));
                j.put("kid", k.kid);
                j.put("use", "sig");
                j.put("alg", "EdDSA");
            }
            return root;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Listed signing keys: kid, created, retired (null for current).
     *
     * @return rows of {@code [kid, createdAt, retiredAt]}
     */
    public List<Object[]> signingKeyRows() {
        lock.lock();
        try {
            List<Object[]> rows = new ArrayList<>();
            for (SigningKey k : listedKeys()) {
                rows.add(new Object[] {k.kid, k.createdAt, k.retiredAt, k.pair.getPublic()});
            }
            return rows;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Signs arbitrary header and claims with the current key (test hook).
     *
     * @param header header
     * @param claims claims
     * @return the token
     */
    public String mint(ObjectNode header, ObjectNode claims) {
        lock.lock();
        try {
            return Jws.sign(header, claims, currentKey().pair.getPrivate());
        } finally {
            lock.unlock();
        }
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
        return Jws.sign(header, claims, key);
    }

    /**
     * The current signing kid.
     *
     * @return kid
     */
    public String currentKid() {
        lock.lock();
        try {
            return currentKey().kid;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The signed claims of a stored passport, for building attack tokens.
     *
     * @param jti passport
     * @return a copy of the claims
     */
    public ObjectNode passportClaims(String jti) {
        lock.lock();
        try {
            Passport p = passports.get(jti);
            if (p == null) {
                throw new IllegalArgumentException("unknown passport: " + jti);
            }
            return p.claims.deepCopy();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ audit

    private AuditEntry appendAudit(
            String operatorId,
            @Nullable String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            @Nullable String traceId,
            @Nullable ObjectNode details) {
        return appendAudit(operatorId, agentId, jti, action, outcome, traceId, details, null, null, null, null);
    }

    private AuditEntry appendAudit(
            String operatorId,
            @Nullable String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            @Nullable String traceId,
            @Nullable ObjectNode details,
            @Nullable String errorCode,
            @Nullable String layerOverride,
            @Nullable String payloadHash,
            @Nullable ObjectNode client) {
        List<AuditEntry> chain = audit.computeIfAbsent(operatorId, k -> new ArrayList<>());
        String prev = chain.isEmpty() ? GENESIS : chain.get(chain.size() - 1).entryHash();
        String layer = layerOverride != null ? layerOverride : layerOf(action);
        String entryId = id("aud_");
        long ts = now().toEpochMilli();
        if (!chain.isEmpty()) {
            ts = Math.max(ts, chain.get(chain.size() - 1).timestamp());
        }
        String hash = entryHash(entryId, ts, operatorId, agentId, layer, action, outcome, prev);
        AuditEntry e = new AuditEntry(
                entryId,
                ts,
                traceId,
                operatorId,
                agentId,
                jti,
                layer,
                action,
                outcome,
                null,
                payloadHash,
                errorCode,
                details == null ? "{}" : Json.write(details),
                client == null ? null : Json.write(client),
                prev,
                hash);
        chain.add(e);
        return e;
    }

    private static String layerOf(String action) {
        if (action.startsWith("credential.")) {
            return "vault";
        }
        if (action.startsWith("dropoff.")) {
            return "dropoff";
        }
        if (action.startsWith("skill.")) {
            return "skills";
        }
        return "system";
    }

    /**
     * STACK's documented entry hash: SHA-256 over the fixed-order JSON of eight fields.
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
        StringBuilder sb = new StringBuilder("{\"entry_id\":");
        Json.appendJsString(sb, entryId);
        sb.append(",\"timestamp\":").append(timestamp);
        sb.append(",\"operator_id\":");
        Json.appendJsString(sb, operatorId);
        sb.append(",\"agent_id\":");
        Json.appendJsString(sb, agentId);
        sb.append(",\"layer\":");
        Json.appendJsString(sb, layer);
        sb.append(",\"action\":");
        Json.appendJsString(sb, action);
        sb.append(",\"outcome\":");
        Json.appendJsString(sb, outcome);
        sb.append(",\"prev_entry_hash\":");
        Json.appendJsString(sb, prevEntryHash);
        sb.append('}');
        return Hashes.sha256Hex(sb.toString());
    }

    /**
     * The client chain hash of an ingested event.
     *
     * @param eventId event id
     * @param timestamp ms
     * @param agentId agent
     * @param jti passport or null
     * @param action action
     * @param outcome outcome
     * @param seq client seq
     * @param prev previous client hash
     * @return lower-case hex
     */
    public static String clientHash(
            String eventId,
            long timestamp,
            String agentId,
            @Nullable String jti,
            String action,
            String outcome,
            long seq,
            String prev) {
        StringBuilder sb = new StringBuilder("{\"event_id\":");
        Json.appendJsString(sb, eventId);
        sb.append(",\"timestamp\":").append(timestamp);
        sb.append(",\"agent_id\":");
        Json.appendJsString(sb, agentId);
        sb.append(",\"passport_jti\":");
        Json.appendJsString(sb, jti);
        sb.append(",\"action\":");
        Json.appendJsString(sb, action);
        sb.append(",\"outcome\":");
        Json.appendJsString(sb, outcome);
        sb.append(",\"client_seq\":").append(seq);
        sb.append(",\"client_prev_hash\":");
        Json.appendJsString(sb, prev);
        sb.append('}');
        return Hashes.sha256Hex(sb.toString());
    }

    /**
     * A snapshot of an operator's chain in append order.
     *
     * @param operatorId operator
     * @return entries
     */
    public List<AuditEntry> auditEntries(String operatorId) {
        lock.lock();
        try {
            return List.copyOf(audit.getOrDefault(operatorId, List.of()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Verifies an operator's chain.
     *
     * @param operatorId operator
     * @return the result
     */
    public ChainVerification verifyChain(String operatorId) {
        lock.lock();
        try {
            List<AuditEntry> chain = audit.getOrDefault(operatorId, List.of());
            String prev = GENESIS;
            int checked = 0;
            for (AuditEntry e : chain) {
                checked++;
                String recomputed = entryHash(
                        e.entryId(),
                        e.timestamp(),
                        e.operatorId(),
                        e.agentId(),
                        e.layer(),
                        e.action(),
                        e.outcome(),
                        e.prevEntryHash());
                if (!recomputed.equals(e.entryHash())) {
                    return new ChainVerification(false, checked, e.entryId(), "hash_mismatch");
                }
                if (!e.prevEntryHash().equals(prev)) {
                    return new ChainVerification(false, checked, e.entryId(), "prev_hash_mismatch");
                }
                prev = e.entryHash();
            }
            return new ChainVerification(true, checked, null, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tamper hook: replaces the entry at an index (without recomputing any hash).
     *
     * @param operatorId operator
     * @param index position
     * @param replacement new entry
     */
    public void tamperReplace(String operatorId, int index, AuditEntry replacement) {
        lock.lock();
        try {
            audit.getOrDefault(operatorId, new ArrayList<>()).set(index, replacement);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tamper hook: removes the entry at an index.
     *
     * @param operatorId operator
     * @param index position
     */
    public void tamperRemove(String operatorId, int index) {
        lock.lock();
        try {
            audit.getOrDefault(operatorId, new ArrayList<>()).remove(index);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tamper hook: swaps two entries.
     *
     * @param operatorId operator
     * @param i first
     * @param j second
     */
    public void tamperSwap(String operatorId, int i, int j) {
        lock.lock();
        try {
            List<AuditEntry> chain = audit.getOrDefault(operatorId, new ArrayList<>());
            AuditEntry a = chain.get(i);
            chain.set(i, chain.get(j));
            chain.set(j, a);
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ security events snapshot

    /**
     * All security events, oldest first.
     *
     * @return snapshot
     */
    public List<SecurityEvent> securityEvents() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an agent is passport-blocked.
     *
     * @param agentId agent
     * @return the flag
     */
    public boolean isPassportBlocked(String agentId) {
        lock.lock();
        try {
            return requireAgent(agentId).passportBlocked;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a passport is revoked.
     *
     * @param jti passport
     * @return the flag
     */
    public boolean isRevoked(String jti) {
        lock.lock();
        try {
            Passport p = passports.get(jti);
            if (p == null) {
                throw new IllegalArgumentException("unknown passport: " + jti);
            }
            return p.revoked;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ request entry point

    /**
     * Handles one request.
     *
     * @param req the request
     * @return the response
     */
    public EngineResponse handle(EngineRequest req) {
        try {
            return route(req);
        } catch (ApiError e) {
            EngineResponse r = EngineResponse.json(e.status(), e.toBody(req.requestId()));
            r.headers().putAll(e.headers());
            return r;
        }
    }

    @SuppressWarnings("ArrayRecordComponent")
    private record Route(String method, String[] segs, String name) {}

    private static final List<Route> ROUTES = new ArrayList<>();

    private static void r(String method, String pattern, String name) {
        ROUTES.add(new Route(method, pattern.substring(1).split("/"), name));
    }

    static {
        r("GET", "/v1/.well-known/jwks.json", "jwks");
        r("POST", "/v1/agents/register", "agents.register");
        r("GET", "/v1/agents", "agents.list");
        r("GET", "/v1/agents/{id}", "agents.get");
        r("PATCH", "/v1/agents/{id}", "agents.patch");
        r("DELETE", "/v1/agents/{id}", "agents.delete");
        r("POST", "/v1/agents/{id}/unblock", "agents.unblock");
        r("POST", "/v1/agents/{id}/grants", "grants.create");
        r("POST", "/v1/agents/{id}/enrollment-challenge", "agents.challenge");
        r("POST", "/v1/agents/{id}/enroll", "agents.enroll");
        r("DELETE", "/v1/agents/{id}/grants/{conn}", "grants.delete");
        r("POST", "/v1/passports/issue", "passports.issue");
        r("POST", "/v1/passports/verify", "passports.verify");
        r("POST", "/v1/passports/refresh", "passports.refresh");
        r("POST", "/v1/passports/delegate", "passports.delegate");
        r("POST", "/v1/passports/revoke-agent", "passports.revokeAgent");
        r("POST", "/v1/passports/revoke-session", "passports.revokeSession");
        r("POST", "/v1/passports/revoke-all", "passports.revokeAll");
        r("GET", "/v1/passports/active", "passports.active");
        r("POST", "/v1/passports/{id}/revoke", "passports.revoke");
        r("POST", "/v1/passports/{id}/checkpoint", "passports.checkpoint");
        r("POST", "/v1/passports/{id}/checkout", "passports.checkout");
        r("GET", "/v1/services", "services.catalog");
        r("GET", "/v1/services/connected", "services.connected");
        r("POST", "/v1/services/connect", "services.connect");
        r("DELETE", "/v1/services/connections/{id}", "services.disconnect");
        r("GET", "/v1/credentials/by-connection/{id}", "credentials.byConnection");
        r("GET", "/v1/credentials/{id}", "credentials.byProvider");
        r("POST", "/v1/leases", "leases.grant");
        r("POST", "/v1/leases/{id}/renew", "leases.renew");
        r("DELETE", "/v1/leases/{id}", "leases.release");
        r("POST", "/v1/proxy", "proxy");
        r("GET", "/v1/audit", "audit.query");
        r("GET", "/v1/audit/verify-chain", "audit.verify");
        r("POST", "/v1/audit/events", "audit.ingest");
        r("GET", "/v1/revocations", "revocations.feed");
        r("GET", "/v1/revocations/{id}", "revocations.status");
        r("GET", "/v1/security-events", "events.list");
        r("GET", "/v1/security-events/{id}", "events.get");
        r("POST", "/v1/security-events/{id}/resolve", "events.resolve");
    }

    private static @Nullable List<String> match(Route route, String[] segs) {
        if (route.segs.length != segs.length) {
            return null;
        }
        List<String> params = new ArrayList<>();
        for (int i = 0; i < segs.length; i++) {
            String p = route.segs[i];
            if (p.startsWith("{")) {
                params.add(segs[i]);
            } else if (!p.equals(segs[i])) {
                return null;
            }
        }
        return params;
    }

    private EngineResponse route(EngineRequest req) {
        String[] segs = req.path().length() <= 1
                ? new String[0]
                : req.path().substring(1).split("/", -1);
        Route found = null;
        List<String> params = List.of();
        Set<String> allowed = new LinkedHashSet<>();
        boolean literalMatched = false;
        for (Route route : ROUTES) {
            List<String> p = match(route, segs);
            if (p == null) {
                continue;
            }
            boolean literal = p.isEmpty();
            if (literalMatched && !literal) {
                continue;
            }
            if (literal && !literalMatched) {
                literalMatched = true;
                allowed.clear();
                found = null;
            }
            allowed.add(route.method);
            if (found == null && route.method.equals(req.method())) {
                found = route;
                params = p;
            }
        }
        if (found == null) {
            if (!allowed.isEmpty()) {
                throw new ApiError(
                        405,
                        "METHOD_NOT_ALLOWED",
                        "Method " + req.method() + " not allowed",
                        null,
                        Map.of("Allow", String.join(", ", allowed)));
            }
            throw ApiError.notFound("Route");
        }
        for (String p : params) {
            if (!ID.matcher(p).matches()) {
                throw ApiError.notFound("Resource");
            }
        }
        String name = found.name;
        if (name.equals("jwks")) {
            EngineResponse r = EngineResponse.json(200, jwks());
            r.headers().put("Cache-Control", "public, max-age=300");
            return r;
        }
        if (name.equals("passports.verify")) {
            lock.lock();
            try {
                return EngineResponse.json(200, verify(Body.parse(req.body(), false)));
            } finally {
                lock.unlock();
            }
        }
        Principal principal = authenticate(req);
        Operator op = principal.op();
        Agent actor = principal.agent();
        EngineRequest effective = actor == null ? req : agentGate(req, actor, name, params);
        String idemKey = idempotencyKey(effective, op);
        if (idemKey != null) {
            return withIdempotency(effective, op, name, params, idemKey, actor);
        }
        return dispatch(effective, op, name, params, actor);
    }

    private static ApiError agentDenied() {
        return ApiError.reason(403, "FORBIDDEN", "Not allowed for an agent principal", "agent_principal");
    }

    private static ApiError notYours() {
        return ApiError.reason(403, "FORBIDDEN", "Passport belongs to another agent", "passport_not_yours");
    }

    private static @Nullable String bodyText(EngineRequest req, String field) {
        try {
            JsonNode n = Json.MAPPER.readTree(req.body());
            return n != null && n.path(field).isTextual() ? n.path(field).asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void requireTokenSub(@Nullable String token, Agent a) {
        if (token == null) {
            return;
        }
        String sub;
        try {
            sub = Jws.parse(token).claims().path("sub").asText("");
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!sub.equals(a.id)) {
            throw notYours();
        }
    }

    /** What an agent principal may do (wire protocol §2.4); narrows or rejects the request. */
    private EngineRequest agentGate(EngineRequest req, Agent a, String name, List<String> params) {
        String p0 = params.isEmpty() ? "" : params.get(0);
        lock.lock();
        try {
            switch (name) {
                case "agents.get" -> {
                    if (!p0.equals(a.id)) {
                        throw agentDenied();
                    }
                }
                case "passports.issue", "passports.revokeAgent" -> {
                    String target = bodyText(req, "agent_id");
                    if (target != null && !target.equals(a.id)) {
                        throw agentDenied();
                    }
                }
                case "passports.refresh" -> requireTokenSub(bodyText(req, "token"), a);
                case "passports.delegate" -> requireTokenSub(bodyText(req, "parent_token"), a);
                case "passports.revoke", "passports.checkpoint", "passports.checkout" -> {
                    Passport p = passports.get(p0);
                    if (p != null && !p.agentId.equals(a.id)) {
                        throw notYours();
                    }
                }
                case "revocations.status" -> {
                    Passport p = passports.get(p0);
                    if (p != null && !p.agentId.equals(a.id)) {
                        throw ApiError.notFound("Passport");
                    }
                }
                case "passports.active" -> {
                    Map<String, String> q = new LinkedHashMap<>(req.query());
                    q.put("agent_id", a.id);
                    return new EngineRequest(req.method(), req.path(), q, req.headers(), req.body(), req.requestId());
                }
                case "credentials.byProvider", "credentials.byConnection" -> {
                    String t = req.header("x-passport-token");
                    if (t == null) {
                        throw ApiError.reason(
                                403, "FORBIDDEN", "Agents must present their passport", "passport_required");
                    }
                    requireTokenSub(t, a);
                }
                case "leases.grant", "proxy" -> requireTokenSub(req.header("x-passport-token"), a);
                case "leases.renew" -> {
                    Lease l = leases.get(p0);
                    if (l != null && !l.agentId.equals(a.id)) {
                        throw new ApiError(404, "LEASE_NOT_FOUND", "Lease not found", null);
                    }
                    requireTokenSub(req.header("x-passport-token"), a);
                }
                case "leases.release" -> {
                    Lease l = leases.get(p0);
                    if (l != null && !l.agentId.equals(a.id)) {
                        // another agent's lease: answer 204 without touching it
                        return new EngineRequest(
                                req.method(),
                                "/v1/leases/lse_not_yours",
                                req.query(),
                                req.headers(),
                                req.body(),
                                req.requestId());
                    }
                }
                case "audit.ingest", "revocations.feed", "services.catalog" -> {
                    // allowed; filtered inside the handler
                }
                default -> throw agentDenied();
            }
            return req;
        } finally {
            lock.unlock();
        }
    }

    private Principal authenticate(EngineRequest req) {
        String auth = req.header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() > 4096) {
            throw new ApiError(401, "UNAUTHORIZED", "Missing or malformed Authorization header", null);
        }
        String token = auth.substring(7).trim();
        if (token.startsWith("eyJ")) {
            lock.lock();
            try {
                Agent a = verifyAgentJwt(token);
                return new Principal(operator(a.operatorId), a);
            } finally {
                lock.unlock();
            }
        }
        if (!token.startsWith("sk_live_")) {
            throw new ApiError(401, "UNAUTHORIZED", "Malformed bearer token", null);
        }
        byte[] presented = Hashes.sha256(token.getBytes(StandardCharsets.UTF_8));
        lock.lock();
        try {
            Operator match = null;
            for (Operator op : operators.values()) {
                for (byte[] h : op.keyHashes) {
                    if (Hashes.constantTimeEquals(h, presented) && match == null) {
                        match = op;
                    }
                }
            }
            if (match == null) {
                throw new ApiError(401, "INVALID_API_KEY", "Invalid API key", null);
            }
            return new Principal(match, null);
        } finally {
            lock.unlock();
        }
    }

    private @Nullable String idempotencyKey(EngineRequest req, Operator op) {
        if (!req.method().equals("POST")) {
            return null;
        }
        String key = req.header("idempotency-key");
        if (key == null && req.path().equals("/v1/proxy")) {
            try {
                JsonNode n = Json.MAPPER.readTree(req.body());
                if (n != null && n.path("authority_request_id").isTextual()) {
                    key = n.path("authority_request_id").asText();
                }
            } catch (java.io.IOException e) {
                return null;
            }
        }
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw ApiError.invalid("Idempotency-Key", "must be 1-255 visible ASCII characters");
        }
        return op.id + "\n" + key;
    }

    private EngineResponse withIdempotency(
            EngineRequest req, Operator op, String name, List<String> params, String scopedKey, @Nullable Agent actor) {
        String fingerprint = req.method() + " " + req.path() + " " + Hashes.sha256Hex(req.body());
        lock.lock();
        try {
            Instant first = idempotencyFirstUse.get(scopedKey);
            if (first != null && !now().isBefore(first.plus(IDEMPOTENCY_TTL))) {
                idempotency.remove(scopedKey);
                idempotencyFirstUse.remove(scopedKey);
            }
            StoredResponse stored = idempotency.get(scopedKey);
            if (stored != null) {
                if (!stored.fingerprint().equals(fingerprint)) {
                    throw ApiError.reason(
                            409,
                            "CONFLICT",
                            "Idempotency-Key reused with a different request",
                            "idempotency_key_reuse");
                }
                String pt = req.header("x-passport-token");
                if (pt != null) {
                    present(op, pt, false, req.requestId());
                }
                Map<String, String> h = new LinkedHashMap<>(stored.headers());
                h.put("Idempotency-Replayed", "true");
                return new EngineResponse(stored.status(), stored.body(), h);
            }
            if (idempotencyInFlight.contains(scopedKey)) {
                if (!Objects.equals(idempotencyFingerprints.get(scopedKey), fingerprint)) {
                    throw ApiError.reason(
                            409,
                            "CONFLICT",
                            "Idempotency-Key reused with a different request",
                            "idempotency_key_reuse");
                }
                throw new ApiError(
                        409,
                        "CONFLICT",
                        "A request with this Idempotency-Key is in progress",
                        reasonNode("idempotency_in_progress"),
                        Map.of("Retry-After", "1"));
            }
            idempotencyInFlight.add(scopedKey);
            idempotencyFingerprints.put(scopedKey, fingerprint);
            idempotencyFirstUse.putIfAbsent(scopedKey, now());
        } finally {
            lock.unlock();
        }
        EngineResponse resp;
        try {
            try {
                resp = dispatch(req, op, name, params, actor);
            } catch (ApiError e) {
                resp = EngineResponse.json(e.status(), e.toBody(req.requestId()));
                resp.headers().putAll(e.headers());
            }
        } finally {
            lock.lock();
            try {
                idempotencyInFlight.remove(scopedKey);
            } finally {
                lock.unlock();
            }
        }
        int st = resp.status();
        if (st < 500 && st != 401 && st != 409 && st != 429) {
            lock.lock();
            try {
                idempotency.put(
                        scopedKey, new StoredResponse(fingerprint, st, resp.body(), Map.copyOf(resp.headers())));
            } finally {
                lock.unlock();
            }
        }
        return resp;
    }

    private final Map<String, String> idempotencyFingerprints = new HashMap<>();

    private static ObjectNode reasonNode(String reason) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        return d;
    }

    private EngineResponse dispatch(
            EngineRequest req, Operator op, String name, List<String> params, @Nullable Agent actor) {
        if (name.equals("proxy")) {
            return proxyCall(req, op);
        }
        if (name.equals("revocations.feed")) {
            return feed(req, op, actor);
        }
        lock.lock();
        try {
            currentActor = actor;
            return dispatchLocked(req, op, name, params);
        } finally {
            currentActor = null;
            lock.unlock();
        }
    }

    /** The agent principal of the request being handled under the lock, or null for operator keys. */
    private @Nullable Agent currentActor;

    @SuppressWarnings("StatementSwitchToExpressionSwitch")
    private EngineResponse dispatchLocked(EngineRequest req, Operator op, String name, List<String> params) {
        String t = req.requestId();
        String p0 = params.isEmpty() ? "" : params.get(0);
        switch (name) {
            case "agents.register":
                return EngineResponse.json(201, agentJson(registerAgent(op, Body.parse(req.body(), false), t)));
            case "agents.list": {
                ObjectNode root = Json.object();
                ArrayNode arr = root.putArray("agents");
                agents.values().stream().filter(a -> a.operatorId.equals(op.id)).forEach(a -> arr.add(agentJson(a)));
                return EngineResponse.json(200, root);
            }
            case "agents.get":
                return EngineResponse.json(200, agentJson(ownAgent(op, p0)));
            case "agents.patch": {
                Agent a = ownAgent(op, p0);
                patchAgent(op, a, Body.parse(req.body(), false), t);
                return EngineResponse.json(200, agentJson(a));
            }
            case "agents.delete":
                return EngineResponse.json(200, deleteAgent(op, ownAgent(op, p0), t));
            case "agents.unblock": {
                Agent a = ownAgent(op, p0);
                Body.parse(req.body(), true);
                a.passportBlocked = false;
                appendAudit(op.id, a.id, null, "agent.unblock", "success", t, null);
                return EngineResponse.json(200, agentJson(a));
            }
            case "agents.challenge": {
                Agent a = ownAgent(op, p0);
                Body.parse(req.body(), true);
                return EngineResponse.secret(201, challenge(a));
            }
            case "agents.enroll": {
                Agent a = ownAgent(op, p0);
                enroll(op, a, Body.parse(req.body(), false), t);
                return EngineResponse.json(200, agentJson(a));
            }
            case "grants.create":
                return createGrant(op, ownAgent(op, p0), Body.parse(req.body(), false), t);
            case "grants.delete":
                return deleteGrant(op, ownAgent(op, p0), params.get(1), t);
            case "passports.issue":
                return EngineResponse.secret(201, issue(op, Body.parse(req.body(), false), t));
            case "passports.refresh":
                return EngineResponse.secret(201, refresh(op, Body.parse(req.body(), false), t));
            case "passports.delegate":
                return EngineResponse.secret(201, delegate(op, Body.parse(req.body(), false), t));
            case "passports.revoke":
                return EngineResponse.json(200, revokeOne(op, p0, Body.parse(req.body(), true), t));
            case "passports.revokeAgent":
                return EngineResponse.json(200, revokeAgentEndpoint(op, Body.parse(req.body(), false), t));
            case "passports.revokeSession":
                return EngineResponse.json(200, revokeSession(op, Body.parse(req.body(), false), t));
            case "passports.revokeAll":
                return EngineResponse.json(200, revokeAll(op, Body.parse(req.body(), false), t));
            case "passports.active":
                return EngineResponse.json(200, active(op, req.query()));
            case "passports.checkpoint":
                return checkpoint(op, p0, Body.parse(req.body(), false), t);
            case "passports.checkout":
                return EngineResponse.json(200, checkout(op, p0, Body.parse(req.body(), false), t));
            case "services.catalog": {
                ObjectNode root = Json.object();
                ArrayNode arr = root.putArray("services");
                for (CatalogService s : catalog.values()) {
                    ObjectNode o = arr.addObject();
                    o.put("id", s.id());
                    o.put("provider", s.provider());
                    o.put("name", s.name());
                    o.put("auth_type", s.authType());
                    o.set("fields", Json.strings(s.fields()));
                }
                return EngineResponse.json(200, root);
            }
            case "services.connected": {
                ObjectNode root = Json.object();
                ArrayNode arr = root.putArray("connections");
                connections.values().stream()
                        .filter(c -> c.operatorId.equals(op.id))
                        .forEach(c -> arr.add(connectionJson(c)));
                return EngineResponse.json(200, root);
            }
            case "services.connect":
                return EngineResponse.json(201, connectionJson(connectEndpoint(op, Body.parse(req.body(), false), t)));
            case "services.disconnect":
                return EngineResponse.json(200, disconnect(op, p0, t));
            case "credentials.byProvider":
                return credential(req, op, p0, null);
            case "credentials.byConnection":
                return credential(req, op, null, p0);
            case "leases.grant":
                return leaseGrant(req, op, Body.parse(req.body(), false));
            case "leases.renew":
                return leaseRenew(req, op, p0, Body.parse(req.body(), true));
            case "leases.release":
                return leaseRelease(op, p0, t);
            case "audit.query":
                return EngineResponse.json(200, auditQuery(op, req.query()));
            case "audit.verify": {
                ChainVerification v = verifyChain(op.id);
                ObjectNode o = Json.object();
                o.put("valid", v.valid());
                o.put("checked", v.checked());
                if (!v.valid()) {
                    o.put("first_bad_entry_id", v.firstBadEntryId());
                    o.put("reason", v.reason());
                }
                return EngineResponse.json(200, o);
            }
            case "audit.ingest":
                return EngineResponse.json(200, ingest(op, req, t));
            case "revocations.status":
                return EngineResponse.json(200, revocationStatus(op, p0));
            case "events.list":
                return EngineResponse.json(200, eventsList(op, req.query()));
            case "events.get":
                return EngineResponse.json(200, eventJson(ownEvent(op, p0)));
            case "events.resolve": {
                SecurityEvent e = ownEvent(op, p0);
                Body b = Body.parse(req.body(), true);
                String note = b.optString("note", 1000);
                if (!e.resolved()) {
                    SecurityEvent r = new SecurityEvent(
                            e.id(),
                            e.operatorId(),
                            e.agentId(),
                            e.passportJti(),
                            e.signalType(),
                            e.severity(),
                            e.message(),
                            e.metadataJson(),
                            e.action(),
                            true,
                            e.createdAt());
                    events.set(events.indexOf(e), r);
                    resolvedAt.put(e.id(), now());
                    if (note != null) {
                        eventResolutionNotes.put(e.id(), note);
                    }
                    e = r;
                }
                return EngineResponse.json(200, eventJson(e));
            }
            default:
                throw new ApiError(500, "INTERNAL_ERROR", "unrouted " + name, null);
        }
    }

    private final Map<String, Instant> resolvedAt = new HashMap<>();

    // ------------------------------------------------------------------ agents

    private Agent ownAgent(Operator op, String id) {
        Agent a = agents.get(id);
        if (a == null || !a.operatorId.equals(op.id)) {
            throw ApiError.notFound("Agent");
        }
        return a;
    }

    private Agent registerAgent(Operator op, Body b, @Nullable String trace) {
        String name = b.reqString("name", 64);
        if (!AGENT_NAME.matcher(name).matches()) {
            throw ApiError.invalid("name", "must match ^[a-z0-9][a-z0-9\\-]*[a-z0-9]$");
        }
        String description = b.optString("description", 256);
        String mode = b.optEnum("accountability_mode", MODES);
        String onWarning = b.optEnum("on_warning", ACTIONS);
        String onCritical = b.optEnum("on_critical", ACTIONS);
        String access = b.optEnum("credential_access", ACCESS);
        String icon = b.optString("icon_url", 100_000);
        for (Agent other : agents.values()) {
            if (other.operatorId.equals(op.id) && other.name.equals(name)) {
                throw ApiError.reason(409, "CONFLICT", "Agent name already taken", "name_taken");
            }
        }
        Agent a = new Agent(id("agt_"), op.id, name, now());
        a.description = description;
        if (mode != null) {
            a.mode = mode;
        }
        if (onWarning != null) {
            a.onWarning = onWarning;
        }
        if (onCritical != null) {
            a.onCritical = onCritical;
        }
        if (access != null) {
            a.credentialAccess = access;
        }
        a.iconUrl = icon;
        agents.put(a.id, a);
        appendAudit(op.id, a.id, null, "agent.register", "success", trace, null);
        return a;
    }

    private void patchAgent(Operator op, Agent a, Body b, @Nullable String trace) {
        String name = b.optString("name", 64);
        if (name != null && !AGENT_NAME.matcher(name).matches()) {
            throw ApiError.invalid("name", "must match ^[a-z0-9][a-z0-9\\-]*[a-z0-9]$");
        }
        String description = b.optString("description", 256);
        String status = b.optEnum("status", List.of("active", "suspended"));
        String mode = b.optEnum("accountability_mode", MODES);
        String onWarning = b.optEnum("on_warning", ACTIONS);
        String onCritical = b.optEnum("on_critical", ACTIONS);
        String access = b.optEnum("credential_access", ACCESS);
        String icon = b.optString("icon_url", 100_000);
        if (name != null && !name.equals(a.name)) {
            for (Agent other : agents.values()) {
                if (other.operatorId.equals(op.id) && other.name.equals(name)) {
                    throw ApiError.reason(409, "CONFLICT", "Agent name already taken", "name_taken");
                }
            }
            a.name = name;
        }
        if (description != null) {
            a.description = description;
        }
        if (mode != null) {
            a.mode = mode;
        }
        if (onWarning != null) {
            a.onWarning = onWarning;
        }
        if (onCritical != null) {
            a.onCritical = onCritical;
        }
        if (access != null) {
            a.credentialAccess = access;
        }
        if (icon != null) {
            a.iconUrl = icon;
        }
        appendAudit(op.id, a.id, null, "agent.update", "success", trace, null);
        if (status != null && !status.equals(a.status)) {
            a.status = status;
            if (status.equals("suspended")) {
                revokeAgentPassports(op, a, "Agent suspended", trace);
            }
        }
    }

    private ObjectNode deleteAgent(Operator op, Agent a, @Nullable String trace) {
        int[] counts = revokeAgentPassports(op, a, "Agent deleted", trace);
        grants.remove(a.id);
        agents.remove(a.id);
        appendAudit(op.id, a.id, null, "agent.delete", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("id", a.id);
        o.put("deleted", true);
        o.put("revoked_count", counts[0] + counts[1]);
        return o;
    }

    private ObjectNode agentJson(Agent a) {
        ObjectNode o = Json.object();
        o.put("id", a.id);
        o.put("operator_id", a.operatorId);
        o.put("name", a.name);
        o.put("description", a.description);
        o.put("status", a.status);
        o.put("accountability_mode", a.mode);
        o.put("on_warning", a.onWarning);
        o.put("on_critical", a.onCritical);
        o.put("credential_access", a.credentialAccess);
        o.put("icon_url", a.iconUrl);
        o.put("passport_blocked", a.passportBlocked);
        o.set(
                "allowed_connections",
                Json.strings(grants.getOrDefault(a.id, Map.of()).keySet()));
        if (a.publicX == null) {
            o.putNull("public_key_jwk");
        } else {
            ObjectNode jwk = o.putObject("public_key_jwk");
            jwk.put("kty", "OKP");
            jwk.put("crv", "Ed25519");
            jwk.put("x", a.publicX);
        }
        o.put("created_at", iso(a.createdAt));
        return o;
    }

    private EngineResponse createGrant(Operator op, Agent a, Body b, String trace) {
        String connId = b.reqString("service_connection_id", 128);
        List<String> scopes = b.reqStrings("scopes", 1, 100, 256);
        List<ObjectNode> constraints = parseConstraints(b);
        Connection c = connections.get(connId);
        if (c == null || !c.operatorId.equals(op.id)) {
            throw ApiError.notFound("Service connection");
        }
        Map<String, Grant> g = grants.computeIfAbsent(a.id, k -> new LinkedHashMap<>());
        boolean replaced = g.containsKey(connId);
        Grant grant = new Grant(a.id, connId, c.service.provider(), List.copyOf(scopes), constraints, now());
        g.put(connId, grant);
        appendAudit(op.id, a.id, null, "grant.create", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("agent_id", a.id);
        o.put("service_connection_id", connId);
        o.put("provider", grant.provider());
        o.set("scopes", Json.strings(grant.scopes()));
        ArrayNode gc = o.putArray("constraints");
        grant.constraints().forEach(gc::add);
        o.put("created_at", iso(grant.createdAt()));
        return EngineResponse.json(replaced ? 200 : 201, o);
    }

    private EngineResponse deleteGrant(Operator op, Agent a, String connId, String trace) {
        Map<String, Grant> g = grants.get(a.id);
        if (g != null && g.remove(connId) != null) {
            appendAudit(op.id, a.id, null, "grant.delete", "success", trace, null);
            for (Passport p : List.copyOf(passports.values())) {
                if (p.agentId.equals(a.id) && !p.revoked && containsConnection(p, connId)) {
                    List<String> jtis = revokeCascade(p, "grant_revoked: " + connId, trace);
                    emit(op.id, "single", p.jti, null, null, jtis, "grant_revoked: " + connId);
                }
            }
        }
        return EngineResponse.noContent();
    }

    private static boolean containsConnection(Passport p, String connId) {
        return p.services.stream().anyMatch(s -> s.connectionId().equals(connId));
    }

    // ------------------------------------------------------------------ services

    private Connection connect(
            Operator op,
            CatalogService svc,
            List<String> scopes,
            @Nullable String credential,
            @Nullable Map<String, String> fields,
            @Nullable String trace) {
        String credRef = id("cred_ref_");
        ObjectNode secret = Json.object();
        if (fields != null) {
            ObjectNode f = secret.putObject("credentials");
            fields.forEach(f::put);
        } else {
            secret.put("credential", credential != null ? credential : "fake-" + svc.provider() + "-" + newId("", 32));
        }
        Envelope env = EnvelopeCipher.seal(
                Json.write(secret).getBytes(StandardCharsets.UTF_8),
                op.tenantKey,
                credRef.getBytes(StandardCharsets.UTF_8));
        Connection c = new Connection(id("svc_conn_"), op.id, svc, scopes, credRef, env, now());
        connections.put(c.id, c);
        appendAudit(op.id, null, null, "service.connect", "success", trace, null);
        return c;
    }

    private Connection connectEndpoint(Operator op, Body b, String trace) {
        String serviceId = b.reqString("service_id", 128);
        List<String> scopes = b.reqStrings("scopes", 1, 100, 256);
        b.optString("redirect_uri", 2048);
        b.optString("oauth_token", 8192);
        String credential = b.optString("credential", 8192);
        Body creds = b.optObject("credentials");
        Map<String, String> fields = null;
        if (creds != null) {
            fields = new LinkedHashMap<>();
            var it = creds.node().properties().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (!e.getValue().isTextual()) {
                    throw ApiError.invalid("credentials." + e.getKey(), "must be a string");
                }
                if (e.getValue().asText().length() > 8192) {
                    throw ApiError.invalid("credentials." + e.getKey(), "must be at most 8192 characters");
                }
                fields.put(e.getKey(), e.getValue().asText());
            }
        }
        if (credential != null && fields != null) {
            throw ApiError.invalid("credentials", "send either credential or credentials, not both");
        }
        CatalogService svc = null;
        for (CatalogService s : catalog.values()) {
            if (s.id().equals(serviceId) || s.provider().equals(serviceId)) {
                svc = s;
            }
        }
        if (svc == null) {
            throw ApiError.notFound("Service");
        }
        return connect(op, svc, scopes, credential, fields, trace);
    }

    private ObjectNode connectionJson(Connection c) {
        ObjectNode o = Json.object();
        o.put("id", c.id);
        o.put("service_id", c.service.id());
        o.put("provider", c.service.provider());
        o.set("scopes", Json.strings(c.scopes));
        o.put("status", "active");
        o.put("created_at", iso(c.createdAt));
        return o;
    }

    private ObjectNode disconnect(Operator op, String connId, String trace) {
        Connection c = connections.get(connId);
        if (c == null || !c.operatorId.equals(op.id)) {
            throw ApiError.notFound("Service connection");
        }
        String reason = "service_disconnected: " + connId;
        int count = 0;
        for (Passport p : List.copyOf(passports.values())) {
            if (p.operatorId.equals(op.id) && !p.revoked && containsConnection(p, connId)) {
                List<String> jtis = revokeCascade(p, reason, trace);
                count += jtis.size();
                emit(op.id, "single", p.jti, null, null, jtis, reason);
            }
        }
        for (Lease l : leases.values()) {
            if (l.connectionId.equals(connId) && l.state == LeaseState.ACTIVE) {
                endLease(l, LeaseState.REVOKED, trace);
            }
        }
        for (Map<String, Grant> g : grants.values()) {
            g.remove(connId);
        }
        connections.remove(connId);
        appendAudit(op.id, null, null, "service.disconnect", "success", trace, null);
        ObjectNode o = Json.object();
        o.put("id", connId);
        o.put("disconnected", true);
        o.put("revoked_count", count);
        return o;
    }

    // ------------------------------------------------------------------ passports: issue

    private List<ServiceScope> scopesFromGrants(Agent a) {
        List<ServiceScope> out = new ArrayList<>();
        for (Grant g : grants.getOrDefault(a.id, Map.of()).values()) {
            Connection c = connections.get(g.connectionId());
            if (c != null) {
                out.add(new ServiceScope(c.id, c.service.provider(), g.scopes(), c.credRef, g.constraints()));
            }
        }
        return out;
    }

    private record Intent(String summary, List<String> services) {}

    private static @Nullable Intent parseIntent(Body b) {
        Body i = b.optObject("intent");
        if (i == null) {
            return null;
        }
        String summary = i.reqString("summary", 500);
        List<String> services = i.reqStrings("services", 0, 100, 128);
        i.optBool("will_delegate");
        i.optLong("estimated_duration_seconds", 0, Long.MAX_VALUE);
        return new Intent(summary, services);
    }

    private ObjectNode issue(Operator op, Body b, @Nullable String trace) {
        String agentId = b.reqString("agent_id", 128);
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Long interval = b.optLong("checkpoint_interval_seconds", 60, 3600);
        List<Body> scopeBodies = b.optObjects("scopes", 100);
        b.optStrings("identity_claim_ids", 100, 128);
        Intent intent = parseIntent(b);
        Agent a = ownAgent(op, agentId);
        if (a.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Agent is blocked from receiving passports", null);
        }
        if (a.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        if (intent == null && !a.mode.equals("standard")) {
            throw new ApiError(400, "ACCOUNTABILITY_REQUIRED", "An intent is required for " + a.mode + " agents", null);
        }
        List<ServiceScope> granted = scopesFromGrants(a);
        List<ServiceScope> services;
        if (scopeBodies == null) {
            services = granted;
        } else {
            services = new ArrayList<>();
            for (Body sb : scopeBodies) {
                String connId = sb.reqString("service_connection_id", 128);
                List<String> scopes = sb.reqStrings("scopes", 0, 100, 256);
                ServiceScope g = granted.stream()
                        .filter(s -> s.connectionId().equals(connId))
                        .findFirst()
                        .orElse(null);
                if (g == null || !g.scopes().containsAll(scopes)) {
                    throw ApiError.reason(403, "FORBIDDEN", "Scope not granted to the agent", "scope_not_granted");
                }
                services.add(new ServiceScope(connId, g.provider(), scopes, g.credRef(), g.constraints()));
            }
        }
        long requested = ttl == null ? 900 : ttl;
        Integer cpi = a.mode.equals("standard") ? null : (int) (interval == null ? 300 : (long) interval);
        long effective = a.mode.equals("enforced") && cpi != null ? Math.min(requested, cpi) : requested;
        Instant now = now();
        Passport p = newPassport(
                op,
                a,
                id("ses_"),
                0,
                null,
                List.of(),
                services,
                intent,
                a.mode,
                cpi,
                requested,
                now,
                now.plusSeconds(effective));
        appendAudit(op.id, a.id, p.jti, "passport.issue", "success", trace, null);
        return passportResponse(p);
    }

    private Passport newPassport(
            Operator op,
            Agent a,
            String sessionId,
            int depth,
            @Nullable String parentJti,
            List<String> chain,
            List<ServiceScope> services,
            @Nullable Intent intent,
            String mode,
            @Nullable Integer cpi,
            long requestedTtl,
            Instant issuedAt,
            Instant expiresAt) {
        String jti = id("pp_");
        ObjectNode claims = Json.object();
        claims.put("iss", issuer);
        claims.put("sub", a.id);
        claims.put("aud", "stack:passport");
        claims.put("iat", issuedAt.getEpochSecond());
        claims.put("nbf", issuedAt.getEpochSecond());
        claims.put("exp", expiresAt.getEpochSecond());
        claims.put("jti", jti);
        ObjectNode stk = claims.putObject("stk");
        stk.put("operator_id", op.id);
        stk.put("agent_id", a.id);
        stk.put("agent_name", a.name);
        ArrayNode svcs = stk.putArray("services");
        for (ServiceScope s : services) {
            ObjectNode o = svcs.addObject();
            o.put("service_id", s.connectionId());
            o.put("service_name", s.provider());
            o.set("scopes", Json.strings(s.scopes()));
            o.put("credential_ref", s.credRef());
            ArrayNode cs = o.putArray("constraints");
            s.constraints().forEach(cs::add);
        }
        stk.putArray("identity_claims");
        stk.put("delegation_depth", depth);
        stk.put("session_id", sessionId);
        stk.put("accountability", mode);
        stk.put("intent_summary", intent == null ? null : intent.summary());
        stk.set("intent_services", Json.strings(intent == null ? List.of() : intent.services()));
        if (cpi == null) {
            stk.putNull("checkpoint_interval");
        } else {
            stk.put("checkpoint_interval", (int) cpi);
        }
        stk.put("parent_jti", parentJti);
        stk.set("delegation_chain", Json.strings(chain));
        String token = sign(claims);
        Passport p = new Passport(
                jti,
                op.id,
                a.id,
                sessionId,
                depth,
                parentJti,
                chain,
                services,
                intent == null ? null : intent.summary(),
                intent == null ? List.of() : intent.services(),
                mode,
                cpi,
                requestedTtl,
                issuedAt,
                expiresAt,
                claims,
                token);
        passports.put(jti, p);
        return p;
    }

    private String sign(ObjectNode claims) {
        SigningKey k = currentKey();
        ObjectNode header = Json.object();
        header.put("alg", "EdDSA");
        header.put("typ", "JWT");
        header.put("kid", k.kid);
        return Jws.sign(header, claims, k.pair.getPrivate());
    }

    private static ObjectNode passportResponse(Passport p) {
        ObjectNode o = Json.object();
        o.put("token", p.token);
        o.put("jti", p.jti);
        o.put("expires_at", iso(p.expiresAt));
        o.put("issued_at", iso(p.issuedAt));
        o.put("agent_id", p.agentId);
        o.put("session_id", p.sessionId);
        o.put("delegation_depth", p.depth);
        return o;
    }

    // ------------------------------------------------------------------ passports: token checks

    /** Result of row 1 of §3.12: a verified token's jti, or a failure reason. */
    private record Checked(
            @Nullable ObjectNode claims, @Nullable String failure) {}

    private Checked checkSignature(String token) {
        Jws.Parsed parsed;
        try {
            parsed = Jws.parse(token);
        } catch (IllegalArgumentException e) {
            return new Checked(null, "malformed");
        }
        ObjectNode c = parsed.claims();
        if (!"EdDSA".equals(parsed.header().path("alg").asText())
                || !"stack:passport".equals(c.path("aud").asText())
                || !c.path("jti").isTextual()
                || !c.path("sub").isTextual()
                || !c.path("exp").isIntegralNumber()
                || !c.path("stk").isObject()) {
            return new Checked(null, "malformed");
        }
        String kid = parsed.header().path("kid").asText("");
        SigningKey key = null;
        for (SigningKey k : listedKeys()) {
            if (k.kid.equals(kid)) {
                key = k;
            }
        }
        if (key == null) {
            return new Checked(null, "unknown_key");
        }
        if (!Ed25519.verify(key.pair.getPublic(), parsed.signingInput(), parsed.signature())) {
            return new Checked(null, "bad_signature");
        }
        return new Checked(c, null);
    }

    /**
     * §3.12 rows 1–5 for a presented passport token.
     */
    private Passport present(Operator op, String token, boolean emitPostCheckout, @Nullable String trace) {
        Checked ch = checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            String reason = Objects.requireNonNull(ch.failure());
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
        }
        if (!op.id.equals(claims.path("stk").path("operator_id").asText())) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another operator", "passport_not_yours");
        }
        Passport p = passports.get(claims.path("jti").asText());
        if (p == null || !p.operatorId.equals(op.id)) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport unknown to this control plane", "unknown_passport");
        }
        if (p.checkedOutAt != null) {
            if (emitPostCheckout) {
                postCheckout(p, trace);
            }
            throw checkedOut(p);
        }
        if (p.revoked) {
            throw revokedError(p);
        }
        if (!now().isBefore(p.expiresAt)) {
            throw expiredError(p);
        }
        return p;
    }

    private static ApiError checkedOut(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(403, "PASSPORT_CHECKED_OUT", "Passport has been checked out", d);
    }

    private static ApiError revokedError(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(401, "PASSPORT_REVOKED", "Passport has been revoked", d);
    }

    private static ApiError expiredError(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(401, "PASSPORT_EXPIRED", "Passport has expired", d);
    }

    private ObjectNode verify(Body b) {
        String token = b.reqString("token", Jws.MAX_TOKEN_CHARS * 2);
        String serviceId = b.optString("service_id", 128);
        ObjectNode o = Json.object();
        Checked ch = checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            o.put("valid", false);
            o.put("reason", ch.failure());
            return o;
        }
        Passport p = passports.get(claims.path("jti").asText());
        String reason = null;
        if (p != null) {
            if (p.checkedOutAt != null) {
                reason = "checked_out";
            } else if (p.revoked) {
                reason = "revoked";
            } else if (!now().isBefore(p.expiresAt)) {
                reason = "expired";
            }
        } else if (now().getEpochSecond() >= claims.path("exp").asLong()) {
            reason = "expired";
        }
        if (reason == null && serviceId != null) {
            boolean inScope = false;
            for (JsonNode s : claims.path("stk").path("services")) {
                if (serviceId.equals(s.path("service_id").asText())
                        || serviceId.equals(s.path("service_name").asText())) {
                    inScope = true;
                }
            }
            if (!inScope) {
                reason = "service_not_in_scope";
            }
        }
        if (reason != null) {
            o.put("valid", false);
            o.put("reason", reason);
            return o;
        }
        o.put("valid", true);
        o.set("claims", claims);
        return o;
    }

    // ------------------------------------------------------------------ refresh, delegate

    private ObjectNode refresh(Operator op, Body b, String trace) {
        String token = b.reqString("token", Jws.MAX_TOKEN_CHARS * 2);
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Checked ch = checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            String reason = Objects.requireNonNull(ch.failure());
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
        }
        if (!op.id.equals(claims.path("stk").path("operator_id").asText())) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another operator", "passport_not_yours");
        }
        Passport old = passports.get(claims.path("jti").asText());
        if (old == null) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport unknown to this control plane", "unknown_passport");
        }
        if (old.checkedOutAt != null) {
            throw checkedOut(old);
        }
        if (old.revoked) {
            throw revokedError(old);
        }
        if (!now().isBefore(old.expiresAt.plus(Duration.ofHours(24)))) {
            throw expiredError(old);
        }
        Agent a = ownAgent(op, old.agentId);
        if (a.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Agent is blocked from receiving passports", null);
        }
        if (a.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        long requested = ttl == null ? old.requestedTtl : ttl;
        long effective = old.mode.equals("enforced") && old.checkpointInterval != null
                ? Math.min(requested, old.checkpointInterval)
                : requested;
        Instant now = now();
        Instant exp = now.plusSeconds(effective);
        if (old.parentJti != null) {
            Passport parent = passports.get(old.parentJti);
            if (parent != null && parent.expiresAt.isBefore(exp)) {
                exp = parent.expiresAt;
            }
        }
        Intent intent = old.intentSummary == null ? null : new Intent(old.intentSummary, old.intentServices);
        Passport p = newPassport(
                op,
                a,
                old.sessionId,
                old.depth,
                old.parentJti,
                old.chain,
                old.services,
                intent,
                old.mode,
                old.checkpointInterval,
                requested,
                now,
                exp);
        ObjectNode d = Json.object();
        d.put("old_jti", old.jti);
        appendAudit(op.id, a.id, p.jti, "passport.refresh", "success", trace, d);
        return passportResponse(p);
    }

    private static int modeRank(String mode) {
        return switch (mode) {
            case "enforced" -> 2;
            case "logged" -> 1;
            default -> 0;
        };
    }

    private ObjectNode delegate(Operator op, Body b, String trace) {
        String parentToken = b.reqString("parent_token", Jws.MAX_TOKEN_CHARS * 2);
        String childId = b.reqString("child_agent_id", 128);
        List<Body> scopeBodies = b.optObjects("scopes", 100);
        Long ttl = b.optLong("ttl_seconds", 60, 3600);
        Intent intent = parseIntent(b);
        Passport parent = present(op, parentToken, false, trace);
        Agent child = ownAgent(op, childId);
        if (child.passportBlocked) {
            throw new ApiError(403, "PASSPORT_BLOCKED", "Child agent is blocked from receiving passports", null);
        }
        if (child.status.equals("suspended")) {
            throw ApiError.reason(403, "FORBIDDEN", "Child agent is suspended", "agent_suspended");
        }
        int depth = parent.depth + 1;
        if (depth > 4) {
            throw new ApiError(400, "DELEGATION_DEPTH_EXCEEDED", "Delegation depth would exceed 4", null);
        }
        if (modeRank(child.mode) < modeRank(parent.mode)) {
            throw new ApiError(
                    400,
                    "DELEGATION_ACCOUNTABILITY_VIOLATION",
                    "Child agent's accountability mode is weaker than the parent's",
                    null);
        }
        List<ServiceScope> services;
        if (scopeBodies == null) {
            services = parent.services;
        } else {
            services = new ArrayList<>();
            for (Body sb : scopeBodies) {
                String connId = sb.reqString("service_connection_id", 128);
                List<String> scopes = sb.reqStrings("scopes", 0, 100, 256);
                ServiceScope ps = parent.services.stream()
                        .filter(s -> s.connectionId().equals(connId))
                        .findFirst()
                        .orElse(null);
                if (ps == null || !ps.scopes().containsAll(scopes)) {
                    throw new ApiError(400, "SCOPE_ESCALATION", "Requested scopes exceed the parent's", null);
                }
                services.add(new ServiceScope(connId, ps.provider(), scopes, ps.credRef(), ps.constraints()));
            }
        }
        Intent parentIntent =
                parent.intentSummary == null ? null : new Intent(parent.intentSummary, parent.intentServices);
        Intent childIntent = intent;
        if (intent != null) {
            Set<String> allowed = new HashSet<>(parent.intentServices);
            parent.services.forEach(s -> allowed.add(s.provider()));
            if (!allowed.containsAll(intent.services())) {
                throw new ApiError(400, "SCOPE_ESCALATION", "Intent services exceed the parent's", null);
            }
        } else {
            childIntent = parentIntent;
            if (childIntent == null && !child.mode.equals("standard")) {
                throw new ApiError(
                        400, "ACCOUNTABILITY_REQUIRED", "An intent is required for " + child.mode + " agents", null);
            }
        }
        Instant now = now();
        long remaining = Math.max(1, Duration.between(now, parent.expiresAt).toSeconds());
        long requested = ttl == null ? Math.min(remaining, 3600) : ttl;
        Instant exp = now.plusSeconds(requested);
        if (parent.expiresAt.isBefore(exp)) {
            exp = parent.expiresAt;
        }
        Integer cpi = child.mode.equals("standard")
                ? null
                : (parent.checkpointInterval != null ? parent.checkpointInterval : Integer.valueOf(300));
        List<String> chain = new ArrayList<>(parent.chain);
        chain.add(parent.jti);
        Passport p = newPassport(
                op,
                child,
                parent.sessionId,
                depth,
                parent.jti,
                chain,
                services,
                childIntent,
                child.mode,
                cpi,
                requested,
                now,
                exp);
        ObjectNode d = Json.object();
        d.put("parent_jti", parent.jti);
        appendAudit(op.id, child.id, p.jti, "passport.delegate", "success", trace, d);
        ObjectNode resp = passportResponse(p);
        resp.put("parent_jti", parent.jti);
        return resp;
    }

    // ------------------------------------------------------------------ revocation

    /** Revokes p (if live) and its descendants; returns every newly revoked jti, p first. */
    private List<String> revokeCascade(Passport root, String reason, @Nullable String trace) {
        List<String> out = new ArrayList<>();
        if (!root.revoked) {
            markRevoked(root, reason, trace, "passport.revoke");
            out.add(root.jti);
        }
        Deque<String> queue = new ArrayDeque<>();
        queue.add(root.jti);
        Set<String> seen = new HashSet<>();
        seen.add(root.jti);
        while (!queue.isEmpty()) {
            String parent = queue.poll();
            for (Passport child : passports.values()) {
                if (parent.equals(child.parentJti) && seen.add(child.jti)) {
                    if (!child.revoked) {
                        markRevoked(child, reason, trace, "passport.revoke_cascade");
                        out.add(child.jti);
                    }
                    queue.add(child.jti);
                }
            }
        }
        return out;
    }

    private void markRevoked(Passport p, String reason, @Nullable String trace, String action) {
        p.revoked = true;
        p.revokedReason = reason;
        p.revokedAt = now();
        ObjectNode d = Json.object();
        d.put("reason", reason);
        appendAudit(p.operatorId, p.agentId, p.jti, action, "success", trace, d);
        for (Lease l : leases.values()) {
            if (l.jti.equals(p.jti) && l.state == LeaseState.ACTIVE) {
                endLease(l, LeaseState.REVOKED, trace);
            }
        }
    }

    private void endLease(Lease l, LeaseState state, @Nullable String trace) {
        l.state = state;
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        appendAudit(l.operatorId, l.agentId, l.jti, "credential.lease_revoke", "success", trace, d);
    }

    private void emit(
            String operatorId,
            String type,
            @Nullable String jti,
            @Nullable String agentId,
            @Nullable String sessionId,
            List<String> jtis,
            String reason) {
        if (jtis.isEmpty()) {
            return;
        }
        feed.addLast(new RevocationEvent(
                ++feedSeq, operatorId, type, jti, agentId, sessionId, List.copyOf(jtis), reason, now()));
        while (feed.size() > FEED_RETENTION) {
            feed.removeFirst();
        }
        revocationArrived.signalAll();
    }

    private static String reasonOf(Body b) {
        String r = b.optString("reason", 500);
        return r == null ? "unspecified" : r;
    }

    private Passport ownPassport(Operator op, String jti) {
        Passport p = passports.get(jti);
        if (p == null || !p.operatorId.equals(op.id)) {
            throw ApiError.notFound("Passport");
        }
        return p;
    }

    private ObjectNode revokeOne(Operator op, String jti, Body b, String trace) {
        String reason = reasonOf(b);
        Passport p = ownPassport(op, jti);
        List<String> jtis = List.of();
        if (!p.revoked) {
            jtis = revokeCascade(p, reason, trace);
            emit(op.id, "single", p.jti, null, null, jtis, reason);
        }
        ObjectNode o = Json.object();
        o.put("jti", jti);
        o.put("revoked", true);
        o.set("cascaded", Json.strings(jtis.isEmpty() ? List.of() : jtis.subList(1, jtis.size())));
        return o;
    }

    /** Returns {direct, cascaded}. */
    private int[] revokeAgentPassports(Operator op, Agent a, String reason, @Nullable String trace) {
        int direct = 0;
        List<String> all = new ArrayList<>();
        for (Passport p : List.copyOf(passports.values())) {
            if (p.agentId.equals(a.id) && !p.revoked) {
                List<String> jtis = revokeCascade(p, reason, trace);
                direct++;
                all.addAll(jtis);
            }
        }
        emit(op.id, "bulk_agent", null, a.id, null, all, reason);
        return new int[] {direct, all.size() - direct};
    }

    private ObjectNode revokeAgentEndpoint(Operator op, Body b, String trace) {
        String agentId = b.reqString("agent_id", 128);
        String reason = reasonOf(b);
        Agent a = ownAgent(op, agentId);
        int[] c = revokeAgentPassports(op, a, reason, trace);
        ObjectNode o = Json.object();
        o.put("agent_id", a.id);
        o.put("revoked_count", c[0]);
        o.put("cascaded_count", c[1]);
        return o;
    }

    private ObjectNode revokeSession(Operator op, Body b, String trace) {
        String sessionId = b.reqString("session_id", 128);
        String reason = reasonOf(b);
        List<String> jtis = new ArrayList<>();
        for (Passport p : passports.values()) {
            if (p.operatorId.equals(op.id) && p.sessionId.equals(sessionId) && !p.revoked) {
                markRevoked(p, reason, trace, "passport.revoke");
                jtis.add(p.jti);
            }
        }
        emit(op.id, "bulk_session", null, null, sessionId, jtis, reason);
        ObjectNode o = Json.object();
        o.put("session_id", sessionId);
        o.put("revoked_count", jtis.size());
        return o;
    }

    private ObjectNode revokeAll(Operator op, Body b, String trace) {
        Boolean confirm = b.optBool("confirm");
        if (confirm == null || !confirm) {
            throw ApiError.invalid("confirm", "must be true");
        }
        String reason = reasonOf(b);
        List<String> jtis = new ArrayList<>();
        for (Passport p : passports.values()) {
            if (p.operatorId.equals(op.id) && !p.revoked) {
                markRevoked(p, reason, trace, "passport.revoke");
                jtis.add(p.jti);
            }
        }
        emit(op.id, "bulk_operator", null, null, null, jtis, reason);
        ObjectNode o = Json.object();
        o.put("revoked_count", jtis.size());
        return o;
    }

    private ObjectNode active(Operator op, Map<String, String> q) {
        String agentId = q.get("agent_id");
        String sessionId = q.get("session_id");
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("passports");
        Instant now = now();
        passports.values().stream()
                .filter(p -> p.operatorId.equals(op.id))
                .filter(p -> !p.revoked && p.checkedOutAt == null && now.isBefore(p.expiresAt))
                .filter(p -> agentId == null || p.agentId.equals(agentId))
                .filter(p -> sessionId == null || p.sessionId.equals(sessionId))
                .sorted((x, y) -> x.issuedAt.compareTo(y.issuedAt))
                .forEach(p -> {
                    ObjectNode o = arr.addObject();
                    o.put("jti", p.jti);
                    o.put("agent_id", p.agentId);
                    o.put("session_id", p.sessionId);
                    o.put("delegation_depth", p.depth);
                    o.put("parent_jti", p.parentJti);
                    o.put("issued_at", iso(p.issuedAt));
                    o.put("expires_at", iso(p.expiresAt));
                });
        return root;
    }

    // ------------------------------------------------------------------ checkpoint, checkout

    private EngineResponse checkpoint(Operator op, String jti, Body b, String trace) {
        List<String> used = b.reqStrings("services_used", 0, 100, 128);
        b.reqLong("actions_count", 0, Long.MAX_VALUE);
        b.optStrings("delegated_to", 100, 128);
        b.reqString("summary", 1000);
        Passport p = ownPassport(op, jti);
        if (p.checkedOutAt != null) {
            postCheckout(p, trace);
            throw checkedOut(p);
        }
        if (p.revoked) {
            throw revokedError(p);
        }
        if (!now().isBefore(p.expiresAt)) {
            throw expiredError(p);
        }
        if (p.mode.equals("standard")) {
            throw new ApiError(404, "CHECKPOINT_NOT_AVAILABLE", "Checkpoints are not available in standard mode", null);
        }
        Agent a = agents.get(p.agentId);
        List<Fired> fired = new ArrayList<>();
        for (String s : used) {
            if (!p.intentServices.contains(s)) {
                fired.add(outsideScope(p, s, p.mode.equals("enforced") ? "critical" : "warning"));
            }
        }
        List<SecurityEvent> raised = applySignals(p, a, fired, trace);
        boolean blocked = raised.stream().anyMatch(e -> e.action().equals("blocked"));
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        if (!blocked && p.mode.equals("enforced") && p.checkpointInterval != null) {
            Instant now = now();
            p.expiresAt = now.plusSeconds(p.checkpointInterval);
            ObjectNode claims = p.claims.deepCopy();
            claims.put("iat", now.getEpochSecond());
            claims.put("nbf", now.getEpochSecond());
            claims.put("exp", p.expiresAt.getEpochSecond());
            p.claims = claims;
            p.token = sign(claims);
            o.put("token", p.token);
        }
        o.put("expires_at", iso(p.expiresAt));
        o.put("accepted", true);
        ArrayNode sig = o.putArray("signals");
        for (SecurityEvent e : raised) {
            ObjectNode so = sig.addObject();
            so.put("signal_type", e.signalType());
            so.put("severity", e.severity());
            so.put("security_event_id", e.id());
            so.put("action", e.action());
        }
        appendAudit(op.id, p.agentId, p.jti, "passport.checkpoint", blocked ? "blocked" : "success", trace, null);
        return o.has("token") ? EngineResponse.secret(200, o) : EngineResponse.json(200, o);
    }

    private ObjectNode checkout(Operator op, String jti, Body b, String trace) {
        b.reqString("summary", 1000);
        List<String> used = b.optStrings("services_used", 100, 128);
        b.optLong("actions_count", 0, Long.MAX_VALUE);
        String outcome = b.optEnum("outcome", List.of("success", "failure"));
        Passport p = ownPassport(op, jti);
        if (p.checkedOutAt != null) {
            throw checkedOut(p);
        }
        String status;
        if (p.criticals > 0) {
            status = "blocked";
        } else if (p.warnings > 0
                || (used != null && p.intentSummary != null && !p.intentServices.containsAll(used))
                || "failure".equals(outcome)) {
            status = "flagged";
        } else {
            status = "clean";
        }
        p.checkedOutAt = now();
        if (status.equals("blocked")) {
            Agent a = agents.get(p.agentId);
            if (a != null) {
                a.passportBlocked = true;
            }
        }
        for (Lease l : leases.values()) {
            if (l.jti.equals(p.jti) && l.state == LeaseState.ACTIVE) {
                endLease(l, LeaseState.CHECKED_OUT, trace);
            }
        }
        ObjectNode d = Json.object();
        d.put("status", status);
        appendAudit(op.id, p.agentId, p.jti, "passport.checkout", "success", trace, d);
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        o.put("status", status);
        o.put("checked_out_at", iso(p.checkedOutAt));
        return o;
    }

    // ------------------------------------------------------------------ detectors

    private record Fired(Signal signal, String severity, String message, ObjectNode metadata) {}

    private Fired outsideScope(Passport p, String service, String severity) {
        ObjectNode m = Json.object();
        m.put("service", service);
        m.set("intent_services", Json.strings(p.intentServices));
        m.set(
                "granted_providers",
                Json.strings(p.services.stream().map(ServiceScope::provider).toList()));
        return new Fired(
                Signal.CREDENTIAL_OUTSIDE_SCOPE,
                severity,
                "request for " + service + " outside the passport's scope",
                m);
    }

    private void postCheckout(Passport p, @Nullable String trace) {
        ObjectNode m = Json.object();
        m.put("jti", p.jti);
        m.put("checked_out_at", iso(Objects.requireNonNull(p.checkedOutAt)));
        m.put("endpoint", trace == null ? "" : "request " + trace);
        applySignals(
                p,
                agents.get(p.agentId),
                List.of(new Fired(Signal.POST_CHECKOUT_ACCESS, "critical", "access after checkout", m)),
                trace);
    }

    /** Records events for fired signals; blocks (once) when any says so. Returns the events. */
    private List<SecurityEvent> applySignals(Passport p, @Nullable Agent a, List<Fired> fired, @Nullable String trace) {
        List<SecurityEvent> out = new ArrayList<>();
        String blockReason = null;
        for (Fired f : fired) {
            DetectorMode mode = detectors.mode(f.signal());
            if (mode == DetectorMode.OFF) {
                continue;
            }
            boolean block;
            if (mode == DetectorMode.BLOCK) {
                block = true;
            } else if (mode == DetectorMode.ALERT || a == null) {
                block = false;
            } else {
                String agentMode = a.mode;
                if (f.severity().equals("critical") && agentMode.equals("enforced")) {
                    block = true;
                } else if (agentMode.equals("logged") || f.severity().equals("info")) {
                    block = false;
                } else if (f.severity().equals("critical")) {
                    block = a.onCritical.equals("block");
                } else {
                    block = a.onWarning.equals("block");
                }
            }
            if (f.severity().equals("critical")) {
                p.criticals++;
            } else if (f.severity().equals("warning")) {
                p.warnings++;
            }
            SecurityEvent e = new SecurityEvent(
                    id("sev_"),
                    p.operatorId,
                    p.agentId,
                    p.jti,
                    f.signal().wireName(),
                    f.severity(),
                    f.message(),
                    Json.write(f.metadata()),
                    block ? "blocked" : "notified",
                    false,
                    now());
            events.add(e);
            ObjectNode d = Json.object();
            d.put("security_event_id", e.id());
            d.put("signal_type", e.signalType());
            d.put("severity", e.severity());
            d.put("action", e.action());
            appendAudit(p.operatorId, p.agentId, p.jti, "security.event", block ? "blocked" : "success", trace, d);
            out.add(e);
            if (block && blockReason == null) {
                blockReason = f.signal().wireName() + "_fire: " + f.message();
            }
        }
        if (blockReason != null) {
            List<String> jtis = revokeCascade(p, blockReason, trace);
            emit(p.operatorId, "single", p.jti, null, null, jtis, blockReason);
            if (a != null) {
                a.passportBlocked = true;
            }
        }
        return out;
    }

    private @Nullable Fired burst(Passport p, Agent a) {
        Instant now = now();
        a.counted.add(now);
        Duration window = detectors.window();
        Duration lookback = detectors.lookback();
        Instant windowStart = now.minus(window);
        Instant baseStart = windowStart.minus(lookback);
        a.counted.removeIf(t -> !t.isAfter(baseStart));
        long c = a.counted.stream().filter(t -> t.isAfter(windowStart)).count();
        double b;
        if (a.seededBaseline != null) {
            b = a.seededBaseline;
        } else {
            long before =
                    a.counted.stream().filter(t -> !t.isAfter(windowStart)).count();
            b = before / ((double) lookback.toMillis() / window.toMillis());
        }
        if (p.burstFired || c < detectors.minimum() || c < detectors.multiplier() * b) {
            return null;
        }
        p.burstFired = true;
        ObjectNode m = Json.object();
        m.put("credential_count", c);
        m.put("time_window_seconds", window.toSeconds());
        m.put("baseline_per_window", b);
        m.put("multiplier", detectors.multiplier());
        return new Fired(
                Signal.CREDENTIAL_BURST, "warning", c + " credential requests in " + window.toSeconds() + "s", m);
    }

    // ------------------------------------------------------------------ agent keys

    private final Map<String, Model.Challenge> challenges = new HashMap<>();
    private static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
    private static final Duration JWT_LEEWAY = Duration.ofSeconds(30);
    private static final Duration JTI_MEMORY = Duration.ofSeconds(90);

    private ObjectNode challenge(Agent a) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Model.Challenge c = new Model.Challenge(id("ech_"), a.id, text, now().plus(CHALLENGE_TTL));
        challenges.put(c.id(), c);
        ObjectNode o = Json.object();
        o.put("challenge_id", c.id());
        o.put("challenge", c.challenge());
        o.put("expires_at", iso(c.expiresAt()));
        return o;
    }

    private void enroll(Operator op, Agent a, Body b, String trace) {
        Body key = b.optObject("public_key");
        String challengeId = b.reqString("challenge_id", 128);
        String signed = b.reqString("signed_challenge", 256);
        if (key == null) {
            throw ApiError.invalid("public_key", "is required");
        }
        if (key.has("d")) {
            throw ApiError.reason(400, "INVALID_REQUEST", "A private key was sent", "private_key_sent");
        }
        Model.Challenge c = challenges.get(challengeId);
        if (c == null || !c.agentId().equals(a.id)) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Unknown challenge", "challenge_unknown");
        }
        if (usedChallenges.contains(c.id())) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge already used", "challenge_used");
        }
        if (!now().isBefore(c.expiresAt())) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge expired", "challenge_expired");
        }
        String x = key.optString("x", 64);
        java.security.PublicKey pk;
        try {
            if (!"OKP".equals(key.optString("kty", 8)) || !"Ed25519".equals(key.optString("crv", 16)) || x == null) {
                throw new IllegalArgumentException("not an Ed25519 JWK");
            }
            pk = Ed25519.fromRaw(Base64.getUrlDecoder().decode(x));
        } catch (IllegalArgumentException | ApiError e) {
            throw ApiError.reason(400, "INVALID_REQUEST", "public_key is not an Ed25519 JWK", "bad_public_key");
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(signed);
        } catch (IllegalArgumentException e) {
            throw ApiError.reason(400, "INVALID_REQUEST", "signed_challenge is not base64url", "bad_signature");
        }
        if (!Ed25519.verify(pk, c.challenge().getBytes(StandardCharsets.US_ASCII), sig)) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge signature does not verify", "bad_signature");
        }
        usedChallenges.add(c.id());
        a.publicKey = pk;
        a.publicX = x;
        a.seenJtis.clear();
        appendAudit(op.id, a.id, null, "agent.enroll", "success", trace, null);
    }

    private final Set<String> usedChallenges = new HashSet<>();

    private static ApiError jwtRejected(String reason) {
        return ApiError.reason(401, "UNAUTHORIZED", "Agent token rejected: " + reason, reason);
    }

    /** §2.4 checks 1–7 of an agent-signed JWT. */
    private Agent verifyAgentJwt(String token) {
        Jws.Parsed parsed;
        try {
            parsed = Jws.parse(token);
        } catch (IllegalArgumentException e) {
            throw jwtRejected("malformed");
        }
        if (!"EdDSA".equals(parsed.header().path("alg").asText())) {
            throw jwtRejected("malformed");
        }
        ObjectNode c = parsed.claims();
        JsonNode aud = c.path("aud");
        boolean audOk = "stack:agent".equals(aud.asText());
        if (aud.isArray()) {
            for (JsonNode n : aud) {
                audOk |= "stack:agent".equals(n.asText());
            }
        }
        if (!audOk) {
            throw jwtRejected("bad_audience");
        }
        if (!"stack-sdk".equals(c.path("iss").asText())) {
            throw jwtRejected("bad_issuer");
        }
        Agent a = agents.get(c.path("sub").asText(""));
        java.security.PublicKey pk = a == null ? null : a.publicKey;
        if (a == null || pk == null) {
            throw jwtRejected("unknown_agent");
        }
        if (!Ed25519.verify(pk, parsed.signingInput(), parsed.signature())) {
            throw jwtRejected("bad_signature");
        }
        JsonNode exp = c.path("exp");
        JsonNode iat = c.path("iat");
        JsonNode nbf = c.path("nbf");
        JsonNode jti = c.path("jti");
        if (!exp.isIntegralNumber()
                || !iat.isIntegralNumber()
                || !nbf.isIntegralNumber()
                || !jti.isTextual()
                || jti.asText().isEmpty()
                || jti.asText().length() > 128) {
            throw jwtRejected("malformed");
        }
        if (exp.asLong() - iat.asLong() > 60) {
            throw jwtRejected("lifetime_too_long");
        }
        Instant now = now();
        if (!now.isBefore(Instant.ofEpochSecond(exp.asLong()).plus(JWT_LEEWAY))) {
            throw jwtRejected("expired");
        }
        if (now.isBefore(Instant.ofEpochSecond(nbf.asLong()).minus(JWT_LEEWAY))) {
            throw jwtRejected("not_yet_valid");
        }
        a.seenJtis.values().removeIf(t -> !now.isBefore(t.plus(JTI_MEMORY)));
        if (a.seenJtis.containsKey(jti.asText())) {
            throw jwtRejected("replay");
        }
        a.seenJtis.put(jti.asText(), now);
        if (!a.status.equals("active")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        return a;
    }

    // ------------------------------------------------------------------ credentials and leases

    private record Resolved(@Nullable Passport passport, Connection connection) {}

    private Resolved resolve(
            EngineRequest req,
            Operator op,
            @Nullable String provider,
            @Nullable String connId,
            boolean passportRequired,
            String action,
            boolean checkProxyOnly) {
        String trace = req.requestId();
        String token = req.header("x-passport-token");
        if (token == null && passportRequired) {
            throw ApiError.reason(400, "INVALID_REQUEST", "X-Passport-Token is required", "passport_required");
        }
        Passport p = token == null ? null : present(op, token, true, trace);
        Connection conn;
        String wanted;
        if (connId != null) {
            conn = connections.get(connId);
            if (conn == null || !conn.operatorId.equals(op.id)) {
                throw ApiError.notFound("Service connection");
            }
            wanted = conn.service.provider();
        } else {
            wanted = Objects.requireNonNull(provider);
            conn = null;
        }
        if (p != null) {
            Set<String> s = new HashSet<>(p.intentServices);
            p.services.forEach(x -> s.add(x.provider()));
            if (!s.contains(wanted)) {
                denyOutsideScope(op, p, wanted, action, trace);
            }
        }
        if (conn == null) {
            List<Connection> candidates = connections.values().stream()
                    .filter(c ->
                            c.operatorId.equals(op.id) && c.service.provider().equals(wanted))
                    .toList();
            if (candidates.isEmpty()) {
                throw ApiError.notFound("Connected service " + wanted);
            }
            if (p != null) {
                Passport pp = p;
                candidates = candidates.stream()
                        .filter(c -> containsConnection(pp, c.id))
                        .toList();
                if (candidates.isEmpty()) {
                    throw ApiError.reason(403, "FORBIDDEN", "Service not granted in this passport", "not_granted");
                }
            }
            if (candidates.size() > 1) {
                throw ApiError.reason(
                        409,
                        "CONFLICT",
                        "Several connections for " + wanted + "; use by-connection",
                        "ambiguous_provider");
            }
            conn = candidates.get(0);
        } else if (p != null && !containsConnection(p, conn.id)) {
            throw ApiError.reason(403, "FORBIDDEN", "Service not granted in this passport", "not_granted");
        }
        if (checkProxyOnly && p != null) {
            Agent a = agents.get(p.agentId);
            if (a != null && a.credentialAccess.equals("proxy_only")) {
                throw ApiError.reason(
                        403, "FORBIDDEN", "Agent may use credentials only through the proxy", "proxy_only");
            }
        }
        return new Resolved(p, conn);
    }

    private void denyOutsideScope(Operator op, Passport p, String service, String action, String trace) {
        List<Fired> fired = new ArrayList<>();
        fired.add(outsideScope(p, service, p.mode.equals("logged") ? "warning" : "critical"));
        if (!p.driftFired) {
            p.driftFired = true;
            ObjectNode m = Json.object();
            m.put("service", service);
            m.put("novelty", 1.0);
            fired.add(new Fired(Signal.SCOPE_DRIFT, "warning", "first request outside scope: " + service, m));
        }
        applySignals(p, agents.get(p.agentId), fired, trace);
        ObjectNode d = Json.object();
        d.put("service", service);
        appendAudit(op.id, p.agentId, p.jti, action, "blocked", trace, d, "FORBIDDEN", null, null, null);
        ObjectNode det = Json.object();
        det.put("reason", "credential_outside_scope");
        det.put("service", service);
        throw new ApiError(403, "FORBIDDEN", "Service " + service + " is outside the passport's scope", det);
    }

    /** Runs credential_burst for a counted request; throws PASSPORT_REVOKED if it blocks. */
    private void countAndDetect(Passport p, String trace) {
        Agent a = agents.get(p.agentId);
        if (a == null) {
            return;
        }
        Fired f = detectors.mode(Signal.CREDENTIAL_BURST) == DetectorMode.OFF ? null : burst(p, a);
        if (f != null) {
            List<SecurityEvent> raised = applySignals(p, a, List.of(f), trace);
            if (raised.stream().anyMatch(e -> e.action().equals("blocked"))) {
                throw revokedError(p);
            }
        }
    }

    private ObjectNode openSecret(Connection c) {
        Operator op = operator(c.operatorId);
        byte[] plain = EnvelopeCipher.open(c.secret, op.tenantKey, c.credRef.getBytes(StandardCharsets.UTF_8));
        try {
            return (ObjectNode) Json.MAPPER.readTree(plain);
        } catch (java.io.IOException e) {
            throw new ApiError(500, "INTERNAL_ERROR", "stored credential unreadable", null);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    private EngineResponse credential(
            EngineRequest req, Operator op, @Nullable String provider, @Nullable String connId) {
        String trace = req.requestId();
        Resolved r = resolve(req, op, provider, connId, false, "credential.retrieve", true);
        Passport p = r.passport();
        if (p != null) {
            countAndDetect(p, trace);
        }
        ObjectNode secret = openSecret(r.connection());
        ObjectNode o = Json.object();
        o.put("provider", r.connection().service.provider());
        o.setAll(secret);
        ObjectNode d = Json.object();
        d.put("service_connection_id", r.connection().id);
        appendAudit(
                op.id,
                p == null ? null : p.agentId,
                p == null ? null : p.jti,
                "credential.retrieve",
                "success",
                trace,
                d);
        return EngineResponse.secret(200, o);
    }

    private EngineResponse leaseGrant(EngineRequest req, Operator op, Body b) {
        String trace = req.requestId();
        String provider = b.optString("provider", 128);
        String connId = b.optString("service_connection_id", 128);
        Long ttlIn = b.optLong("ttl_seconds", 30, 3600);
        String purpose = b.optString("purpose", 256);
        if ((provider == null) == (connId == null)) {
            throw ApiError.invalid("provider", "send exactly one of provider and service_connection_id");
        }
        if (req.header("x-passport-token") == null) {
            throw ApiError.reason(400, "INVALID_REQUEST", "X-Passport-Token is required", "passport_required");
        }
        Resolved r = resolve(req, op, provider, connId, true, "credential.lease", true);
        Passport p = Objects.requireNonNull(r.passport());
        Instant now = now();
        if (Duration.between(now, p.expiresAt).compareTo(Duration.ofSeconds(1)) < 0) {
            throw expiredError(p);
        }
        countAndDetect(p, trace);
        long ttl = ttlIn == null ? 900 : ttlIn;
        Instant exp = min(now.plusSeconds(ttl), p.expiresAt);
        Instant max = min(now.plusSeconds(4 * ttl), p.expiresAt);
        Lease l = new Lease(
                newId("lse_", 32),
                op.id,
                p.agentId,
                p.jti,
                r.connection().id,
                r.connection().service.provider(),
                now,
                exp,
                max,
                ttl);
        leases.put(l.id, l);
        ObjectNode o = leaseJson(l);
        o.setAll(openSecret(r.connection()));
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        d.put("purpose", purpose);
        appendAudit(op.id, p.agentId, p.jti, "credential.lease", "success", trace, d);
        return EngineResponse.secret(201, o);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private ObjectNode leaseJson(Lease l) {
        ObjectNode o = Json.object();
        o.put("lease_id", l.id);
        o.put("provider", l.provider);
        o.put("service_connection_id", l.connectionId);
        o.put("passport_jti", l.jti);
        o.put("issued_at", iso(l.issuedAt));
        o.put("expires_at", iso(l.expiresAt));
        o.put("max_expires_at", iso(l.maxExpiresAt));
        o.put("renewable", l.expiresAt.isBefore(l.maxExpiresAt));
        o.put("ttl_seconds", Math.max(0, Duration.between(now(), l.expiresAt).toSeconds()));
        return o;
    }

    private EngineResponse leaseRenew(EngineRequest req, Operator op, String leaseId, Body b) {
        String trace = req.requestId();
        Long ttlIn = b.optLong("ttl_seconds", 30, 3600);
        Lease l = leases.get(leaseId);
        if (l == null || !l.operatorId.equals(op.id) || l.state == LeaseState.RELEASED) {
            throw new ApiError(404, "LEASE_NOT_FOUND", "Lease not found", null);
        }
        String token = req.header("x-passport-token");
        if (token != null) {
            Checked ch = checkSignature(token);
            ObjectNode claims = ch.claims();
            if (claims == null) {
                String reason = Objects.requireNonNull(ch.failure());
                throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
            }
            if (!l.agentId.equals(claims.path("sub").asText())) {
                throw ApiError.reason(403, "FORBIDDEN", "Passport is not the lease's agent", "passport_not_yours");
            }
        }
        Passport p = passports.get(l.jti);
        if (l.state == LeaseState.CHECKED_OUT || (p != null && p.checkedOutAt != null)) {
            if (p != null) {
                postCheckout(p, trace);
            }
            ObjectNode d = Json.object();
            d.put("jti", l.jti);
            throw new ApiError(403, "PASSPORT_CHECKED_OUT", "Passport has been checked out", d);
        }
        if (l.state == LeaseState.REVOKED) {
            ObjectNode d = Json.object();
            d.put("jti", l.jti);
            throw new ApiError(401, "PASSPORT_REVOKED", "Passport has been revoked", d);
        }
        Instant now = now();
        if (!now.isBefore(l.expiresAt)) {
            throw new ApiError(410, "LEASE_EXPIRED", "Lease has expired", null);
        }
        long ttl = ttlIn == null ? l.requestedTtl : ttlIn;
        Instant next = min(now.plusSeconds(ttl), l.maxExpiresAt);
        if (next.isAfter(l.expiresAt)) {
            l.expiresAt = next;
        }
        ObjectNode d = Json.object();
        d.put("lease_fingerprint", Hashes.fingerprint(l.id));
        appendAudit(op.id, l.agentId, l.jti, "credential.lease_renew", "success", trace, d);
        return EngineResponse.json(200, leaseJson(l));
    }

    private EngineResponse leaseRelease(Operator op, String leaseId, String trace) {
        Lease l = leases.get(leaseId);
        if (l != null && l.operatorId.equals(op.id) && l.state == LeaseState.ACTIVE && now().isBefore(l.expiresAt)) {
            l.state = LeaseState.RELEASED;
            ObjectNode d = Json.object();
            d.put("lease_fingerprint", Hashes.fingerprint(l.id));
            appendAudit(op.id, l.agentId, l.jti, "credential.lease_release", "success", trace, d);
        } else if (l != null && l.operatorId.equals(op.id)) {
            l.state = l.state == LeaseState.ACTIVE ? LeaseState.RELEASED : l.state;
        }
        return EngineResponse.noContent();
    }

    // ------------------------------------------------------------------ constraints

    private static final List<String> CONSTRAINT_OPS =
            List.of("eq", "not_eq", "in", "not_in", "matches", "starts_with");

    /** Validates an optional {@code constraints} array (wire protocol §3.2; ≤ 32, regex ≤ 256). */
    private static List<ObjectNode> parseConstraints(Body b) {
        List<Body> list = b.optObjects("constraints", 32);
        if (list == null) {
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Body c : list) {
            String path = c.reqString("path", 256);
            if (!(path.equals("method")
                    || path.equals("url.pathname")
                    || path.equals("url.host")
                    || path.equals("url.origin")
                    || path.startsWith("headers.")
                    || path.startsWith("query.")
                    || path.startsWith("body."))) {
                throw ApiError.invalid("constraints.path", "unknown constraint path: " + path);
            }
            String op = c.optEnum("op", CONSTRAINT_OPS);
            if (op == null) {
                throw ApiError.invalid("constraints.op", "is required");
            }
            if (op.equals("in") || op.equals("not_in")) {
                c.reqStrings("value", 1, 100, 1024);
            } else {
                String v = c.reqString("value", op.equals("matches") ? 256 : 1024);
                if (op.equals("matches")) {
                    try {
                        Pattern.compile(v);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        throw ApiError.invalid("constraints.value", "not a valid regular expression");
                    }
                }
            }
            ObjectNode o = Json.object();
            o.put("path", path);
            o.put("op", op);
            o.set("value", c.raw("value"));
            out.add(o);
        }
        return List.copyOf(out);
    }

    /** The request value a constraint path names, or null when the request has none (which fails). */
    private static @Nullable String constraintValue(
            String path,
            String method,
            java.net.URI uri,
            Map<String, String> headers,
            Map<String, String> query,
            @Nullable JsonNode body) {
        if (path.equals("method")) {
            return method;
        }
        if (path.equals("url.pathname")) {
            return uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        }
        if (path.equals("url.host")) {
            return uri.getHost();
        }
        if (path.equals("url.origin")) {
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        }
        if (path.startsWith("headers.")) {
            String name = path.substring(8);
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
        if (path.startsWith("query.")) {
            String key = path.substring(6);
            if (query.containsKey(key)) {
                return query.get(key);
            }
            String raw = uri.getRawQuery();
            if (raw != null) {
                for (String pair : raw.split("&", -1)) {
                    int eq = pair.indexOf('=');
                    String k =
                            java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    if (k.equals(key)) {
                        return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    }
                }
            }
            return null;
        }
        JsonNode n = body;
        for (String part : path.substring(5).split("\\.", -1)) {
            if (n == null || !n.isObject() || !n.has(part)) {
                return null;
            }
            n = n.get(part);
        }
        if (n == null || n.isNull()) {
            return null;
        }
        return n.isTextual() ? n.asText() : Json.write(n);
    }

    private static boolean constraintHolds(ObjectNode c, @Nullable String actual) {
        if (actual == null) {
            return false;
        }
        String op = c.path("op").asText();
        JsonNode v = c.path("value");
        return switch (op) {
            case "eq" -> actual.equals(v.asText());
            case "not_eq" -> !actual.equals(v.asText());
            case "starts_with" -> actual.startsWith(v.asText());
            case "matches" -> Pattern.compile(v.asText()).matcher(actual).find();
            case "in", "not_in" -> {
                boolean found = false;
                for (JsonNode e : v) {
                    found |= actual.equals(e.asText());
                }
                yield op.equals("in") == found;
            }
            default -> false;
        };
    }

    // ------------------------------------------------------------------ proxy

    private static final Set<String> PROXY_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "set-cookie",
            "content-length");

    private EngineResponse proxyCall(EngineRequest req, Operator op) {
        String trace = req.requestId();
        Proxy.Call call;
        String jti;
        String agentId;
        lock.lock();
        try {
            Body b = Body.parse(req.body(), false);
            String service = b.reqString("service", 128);
            String method = b.reqString("method", 16);
            if (!PROXY_METHODS.contains(method)) {
                throw ApiError.invalid("method", "must be one of GET, POST, PUT, PATCH, DELETE");
            }
            String url = b.reqString("url", 8192);
            Body headersBody = b.optObject("headers");
            Body queryBody = b.optObject("query");
            JsonNode body = b.raw("body");
            b.optString("authority_request_id", 255);
            Map<String, String> headers = stringMap(headersBody, "headers");
            Map<String, String> query = stringMap(queryBody, "query");
            java.net.URI uri;
            try {
                uri = java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("url", "must be an absolute URL");
            }
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw ApiError.invalid("url", "must be an absolute URL");
            }
            Resolved r = resolve(req, op, service, null, true, "credential.proxy", false);
            Passport p = Objects.requireNonNull(r.passport());
            for (ServiceScope scope : p.services) {
                if (!scope.connectionId().equals(r.connection().id)) {
                    continue;
                }
                for (ObjectNode c : scope.constraints()) {
                    String cpath = c.path("path").asText();
                    if (!constraintHolds(c, constraintValue(cpath, method, uri, headers, query, body))) {
                        appendAudit(
                                op.id,
                                p.agentId,
                                p.jti,
                                "credential.proxy",
                                "blocked",
                                trace,
                                null,
                                "FORBIDDEN",
                                null,
                                null,
                                null);
                        ObjectNode det = Json.object();
                        det.put("reason", "constraint_failed");
                        det.put("path", cpath);
                        throw new ApiError(403, "FORBIDDEN", "Request violates a constraint on " + cpath, det);
                    }
                }
            }
            ObjectNode secret = openSecret(r.connection());
            Map<String, String> out = new LinkedHashMap<>(headers);
            out.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
            if (secret.has("credential")) {
                out.put("Authorization", "Bearer " + secret.path("credential").asText());
            } else {
                JsonNode f = secret.path("credentials");
                if (f.has("username") && f.has("password")) {
                    String basic = f.path("username").asText() + ":"
                            + f.path("password").asText();
                    out.put(
                            "Authorization",
                            "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
                }
            }
            StringBuilder full = new StringBuilder(url);
            if (!query.isEmpty()) {
                full.append(url.contains("?") ? '&' : '?');
                boolean first = true;
                for (Map.Entry<String, String> e : query.entrySet()) {
                    if (!first) {
                        full.append('&');
                    }
                    first = false;
                    full.append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                            .append('=')
                            .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                }
            }
            byte[] payload = null;
            if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
                payload = Json.write(body).getBytes(StandardCharsets.UTF_8);
                out.putIfAbsent("Content-Type", "application/json");
            }
            call = new Proxy.Call(method, full.toString(), out, payload);
            jti = p.jti;
            agentId = p.agentId;
        } finally {
            lock.unlock();
        }
        Proxy.Result result;
        long start = System.nanoTime();
        try {
            result = proxy.forward(call);
        } catch (ApiError e) {
            lock.lock();
            try {
                appendAudit(
                        op.id, agentId, jti, "credential.proxy", "failure", trace, null, e.code(), null, null, null);
            } finally {
                lock.unlock();
            }
            throw e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ObjectNode o = Json.object();
        o.put("status", result.status());
        ObjectNode h = o.putObject("headers");
        for (Map.Entry<String, List<String>> e : result.headers().entrySet()) {
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith(":")) {
                h.put(name, String.join(", ", e.getValue()));
            }
        }
        byte[] rb = result.body();
        String ct = h.path("content-type").asText("").toLowerCase(java.util.Locale.ROOT);
        if (rb.length == 0) {
            o.putNull("body");
            o.put("body_encoding", "text");
        } else {
            JsonNode parsed = null;
            if (ct.startsWith("application/json") || ct.contains("+json")) {
                try {
                    parsed = Json.MAPPER.readTree(rb);
                } catch (java.io.IOException e) {
                    parsed = null;
                }
            }
            if (parsed != null) {
                o.set("body", parsed);
                o.put("body_encoding", "json");
            } else {
                java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
                try {
                    o.put("body", dec.decode(java.nio.ByteBuffer.wrap(rb)).toString());
                    o.put("body_encoding", "text");
                } catch (java.nio.charset.CharacterCodingException e) {
                    o.put("body", Base64.getEncoder().encodeToString(rb));
                    o.put("body_encoding", "base64");
                }
            }
        }
        lock.lock();
        try {
            ObjectNode d = Json.object();
            d.put("upstream_status", result.status());
            d.put("method", call.method());
            d.put("duration_ms", ms);
            appendAudit(op.id, agentId, jti, "credential.proxy", "success", trace, d);
        } finally {
            lock.unlock();
        }
        return EngineResponse.json(200, o);
    }

    private static Map<String, String> stringMap(@Nullable Body b, String field) {
        Map<String, String> m = new LinkedHashMap<>();
        if (b == null) {
            return m;
        }
        var it = b.node().properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw ApiError.invalid(field + "." + e.getKey(), "must be a string");
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    // ------------------------------------------------------------------ revocation status and feed

    private ObjectNode revocationStatus(Operator op, String jti) {
        Passport p = ownPassport(op, jti);
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        o.put("revoked", p.revoked);
        if (p.revoked) {
            o.put("reason", p.revokedReason);
            o.put("revoked_at", Objects.requireNonNull(p.revokedAt).toEpochMilli());
        }
        o.put("checked_at", now().toEpochMilli());
        String state;
        if (p.checkedOutAt != null) {
            state = "checked_out";
        } else if (p.revoked) {
            state = "revoked";
        } else if (!now().isBefore(p.expiresAt)) {
            state = "expired";
        } else {
            state = "active";
        }
        o.put("state", state);
        return o;
    }

    private EngineResponse feed(EngineRequest req, Operator op, @Nullable Agent actor) {
        String since = req.query().get("since");
        String waitText = req.query().get("wait");
        long wait = 0;
        if (waitText != null) {
            try {
                wait = Long.parseLong(waitText);
            } catch (NumberFormatException e) {
                throw ApiError.invalid("wait", "must be an integer 0-30");
            }
            if (wait < 0 || wait > 30) {
                throw ApiError.invalid("wait", "must be an integer 0-30");
            }
        }
        lock.lock();
        try {
            ObjectNode o = Json.object();
            ArrayNode arr = o.putArray("events");
            if (since == null) {
                o.put("cursor", "c_" + feedSeq);
                return EngineResponse.json(200, o);
            }
            long from;
            try {
                if (!since.startsWith("c_")) {
                    throw new NumberFormatException();
                }
                from = Long.parseLong(since.substring(2));
            } catch (NumberFormatException e) {
                throw new ApiError(410, "CURSOR_EXPIRED", "Cursor unknown; re-sync", null);
            }
            RevocationEvent oldest = feed.peekFirst();
            if (from < 0 || from > feedSeq || (oldest != null && from < oldest.seq() - 1)) {
                throw new ApiError(410, "CURSOR_EXPIRED", "Cursor unknown or too old; re-sync", null);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
            long cursor = from;
            while (true) {
                for (RevocationEvent e : feed) {
                    List<String> visible = e.jtis();
                    if (actor != null && !e.type().equals("bulk_operator")) {
                        visible = e.jtis().stream()
                                .filter(j -> {
                                    Passport vp = passports.get(j);
                                    return vp != null && vp.agentId.equals(actor.id);
                                })
                                .toList();
                    }
                    if (e.seq() > from && e.operatorId().equals(op.id) && !visible.isEmpty() && arr.size() < 500) {
                        ObjectNode eo = arr.addObject();
                        eo.put("cursor", "c_" + e.seq());
                        eo.put("type", e.type());
                        if (e.jti() != null) {
                            eo.put("jti", e.jti());
                        }
                        if (e.agentId() != null) {
                            eo.put("agent_id", e.agentId());
                        }
                        if (e.sessionId() != null) {
                            eo.put("session_id", e.sessionId());
                        }
                        eo.set("jtis", Json.strings(visible));
                        eo.put("reason", e.reason());
                        eo.put("at", e.at().toEpochMilli());
                        cursor = e.seq();
                    }
                }
                if (arr.size() > 0) {
                    break;
                }
                cursor = Math.max(cursor, feedSeq);
                long left = deadline - System.nanoTime();
                if (left <= 0 || shuttingDown) {
                    break;
                }
                try {
                    feedWaiters++;
                    try {
                        revocationArrived.awaitNanos(left);
                    } finally {
                        feedWaiters--;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiError(503, "SERVICE_UNAVAILABLE", "Server shutting down", null);
                }
            }
            o.put("cursor", "c_" + cursor);
            return EngineResponse.json(200, o);
        } finally {
            lock.unlock();
        }
    }

    private int feedWaiters;

    /**
     * How many revocation-feed long-polls are parked waiting for an event.
     *
     * @return the count
     */
    public int feedWaiters() {
        lock.lock();
        try {
            return feedWaiters;
        } finally {
            lock.unlock();
        }
    }

    private boolean shuttingDown;

    /** Ends every parked long-poll at once (used by close). */
    public void wakeWaiters() {
        lock.lock();
        try {
            shuttingDown = true;
            revocationArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ audit query and ingest

    private static long queryLong(Map<String, String> q, String name, long def, long min, long max) {
        String v = q.get(name);
        if (v == null) {
            return def;
        }
        long l;
        try {
            l = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.invalid(name, "must be an integer");
        }
        if (l < min || l > max) {
            throw ApiError.invalid(name, "must be between " + min + " and " + max);
        }
        return l;
    }

    /**
     * The wire form of an audit entry.
     *
     * @param e entry
     * @return JSON
     */
    public static ObjectNode auditJson(AuditEntry e) {
        ObjectNode o = Json.object();
        o.put("entry_id", e.entryId());
        o.put("timestamp", e.timestamp());
        o.put("trace_id", e.traceId());
        o.putNull("span_id");
        o.putNull("parent_span_id");
        o.put("operator_id", e.operatorId());
        o.put("agent_id", e.agentId());
        o.put("passport_jti", e.passportJti());
        o.put("layer", e.layer());
        o.put("action", e.action());
        o.put("outcome", e.outcome());
        if (e.durationMs() == null) {
            o.putNull("duration_ms");
        } else {
            o.put("duration_ms", e.durationMs());
        }
        o.put("payload_hash", e.payloadHash());
        o.put("error_code", e.errorCode());
        o.putNull("error_message");
        try {
            o.set("details", Json.MAPPER.readTree(e.detailsJson()));
            if (e.clientJson() != null) {
                o.set("client", Json.MAPPER.readTree(e.clientJson()));
            }
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("stored audit JSON unreadable", ex);
        }
        o.put("prev_entry_hash", e.prevEntryHash());
        o.put("entry_hash", e.entryHash());
        return o;
    }

    private ObjectNode auditQuery(Operator op, Map<String, String> q) {
        long limit = queryLong(q, "limit", 20, 1, 100);
        long since = queryLong(q, "since", 0, 0, Long.MAX_VALUE);
        String agentId = q.get("agent_id");
        String jti = q.get("passport_jti");
        List<AuditEntry> chain = audit.getOrDefault(op.id, List.of());
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("entries");
        long max = since;
        for (int i = chain.size() - 1; i >= 0 && arr.size() < limit; i--) {
            AuditEntry e = chain.get(i);
            if (e.timestamp() <= since
                    || (agentId != null && !agentId.equals(e.agentId()))
                    || (jti != null && !jti.equals(e.passportJti()))) {
                continue;
            }
            arr.add(auditJson(e));
            max = Math.max(max, e.timestamp());
        }
        root.put("max_timestamp", max);
        return root;
    }

    private ObjectNode ingest(Operator op, EngineRequest req, String trace) {
        Body b = Body.parse(req.body(), false);
        List<Body> evs = b.optObjects("events", Integer.MAX_VALUE);
        if (evs == null || evs.isEmpty()) {
            throw ApiError.invalid("events", "must have 1-500 events");
        }
        if (evs.size() > 500) {
            throw new ApiError(413, "PAYLOAD_TOO_LARGE", "At most 500 events per request", null);
        }
        ObjectNode root = Json.object();
        ArrayNode accepted = root.putArray("accepted");
        ArrayNode duplicates = root.putArray("duplicates");
        ArrayNode rejected = root.putArray("rejected");
        for (Body ev : evs) {
            String eventId = ev.node().path("event_id").asText("");
            try {
                ingestOne(op, ev, trace, accepted, duplicates);
            } catch (ApiError e) {
                ObjectNode r = rejected.addObject();
                r.put("event_id", eventId);
                r.put("code", e.code());
                r.put("message", e.messageText());
            }
        }
        return root;
    }

    private static ApiError reject(String code, String message) {
        return new ApiError(200, code, message, null);
    }

    private void ingestOne(Operator op, Body ev, String trace, ArrayNode accepted, ArrayNode duplicates) {
        String eventId = ev.reqString("event_id", 64);
        long ts = ev.reqLong("timestamp", 0, Long.MAX_VALUE);
        String agentId = ev.reqString("agent_id", 128);
        String jti = ev.optString("passport_jti", 128);
        String layer = ev.reqString("layer", 16);
        if (!layer.equals("agent")) {
            throw ApiError.invalid("layer", "must be agent");
        }
        String action = ev.reqString("action", 128);
        if (!ACTION.matcher(action).matches()) {
            throw ApiError.invalid("action", "must be dotted lower-case words");
        }
        String outcome = ev.optEnum("outcome", List.of("success", "failure", "pending", "blocked"));
        if (outcome == null) {
            throw ApiError.invalid("outcome", "is required");
        }
        Long duration = ev.optLong("duration_ms", 0, Long.MAX_VALUE);
        Body detail = ev.optObject("detail");
        if (detail != null && Json.write(detail.node()).getBytes(StandardCharsets.UTF_8).length > 8192) {
            throw new ApiError(413, "PAYLOAD_TOO_LARGE", "detail over 8 KiB", null);
        }
        long seq = ev.reqLong("client_seq", 1, Long.MAX_VALUE);
        String prev = ev.reqString("client_prev_hash", 64);
        String hash = ev.reqString("client_hash", 64);
        if (!HEX64.matcher(prev).matches() || !HEX64.matcher(hash).matches()) {
            throw ApiError.invalid("client_hash", "must be 64 lower-case hex");
        }
        Agent a = agents.get(agentId);
        Agent actor = currentActor;
        if (a == null || !a.operatorId.equals(op.id) || (actor != null && !actor.id.equals(agentId))) {
            throw new ApiError(200, "FORBIDDEN", "agent is not the caller's", null);
        }
        String fingerprint = Json.write(ev.node());
        ClientChainState st = clientChains.get(agentId);
        if (st != null && st.acceptedFingerprints.containsKey(eventId)) {
            if (st.acceptedFingerprints.get(eventId).equals(fingerprint)) {
                duplicates.add(eventId);
                return;
            }
            throw reject("CONFLICT", "event_id already accepted with different fields");
        }
        String recomputed = clientHash(eventId, ts, agentId, jti, action, outcome, seq, prev);
        if (!recomputed.equals(hash)) {
            throw reject("CHAIN_HASH_MISMATCH", "client_hash does not recompute");
        }
        if (seq == 1 && prev.equals(GENESIS)) {
            if (st != null) {
                ObjectNode d = Json.object();
                d.put("previous_seq", st.lastSeq);
                appendAudit(op.id, agentId, null, "client_chain.restart", "success", trace, d);
            }
        } else if (st == null) {
            ObjectNode d = Json.object();
            d.putNull("expected_seq");
            d.put("got_seq", seq);
            appendAudit(op.id, agentId, null, "client_chain.gap", "failure", trace, d);
        } else if (seq == st.lastSeq + 1) {
            if (!prev.equals(st.lastHash)) {
                throw reject("CHAIN_BROKEN", "client_prev_hash does not match the previous event");
            }
        } else if (seq > st.lastSeq + 1) {
            ObjectNode d = Json.object();
            d.put("expected_seq", st.lastSeq + 1);
            d.put("got_seq", seq);
            appendAudit(op.id, agentId, null, "client_chain.gap", "failure", trace, d);
        } else {
            throw reject("CHAIN_SEQ_REPLAY", "client_seq already used");
        }
        ClientChainState state = clientChains.computeIfAbsent(agentId, k -> new ClientChainState());
        state.lastSeq = seq;
        state.lastHash = hash;
        state.acceptedFingerprints.put(eventId, fingerprint);
        ObjectNode client = Json.object();
        client.put("event_id", eventId);
        client.put("timestamp", ts);
        client.put("client_seq", seq);
        client.put("client_prev_hash", prev);
        client.put("client_hash", hash);
        client.set("detail", detail == null ? null : detail.node());
        AuditEntry e = appendAudit(op.id, agentId, jti, action, outcome, trace, null, null, "agent", hash, client);
        if (duration != null) {
            List<AuditEntry> chain = Objects.requireNonNull(audit.get(op.id));
            chain.set(chain.size() - 1, e.withDurationMs(duration));
        }
        accepted.add(eventId);
    }

    // ------------------------------------------------------------------ security events

    private SecurityEvent ownEvent(Operator op, String id) {
        for (SecurityEvent e : events) {
            if (e.id().equals(id) && e.operatorId().equals(op.id)) {
                return e;
            }
        }
        throw ApiError.notFound("Security event");
    }

    private ObjectNode eventJson(SecurityEvent e) {
        ObjectNode o = Json.object();
        o.put("id", e.id());
        o.put("operator_id", e.operatorId());
        o.put("agent_id", e.agentId());
        o.put("passport_jti", e.passportJti());
        o.put("signal_type", e.signalType());
        o.put("severity", e.severity());
        o.put("message", e.message());
        try {
            o.set("metadata", Json.MAPPER.readTree(e.metadataJson()));
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("stored metadata unreadable", ex);
        }
        o.put("resolved", e.resolved());
        Instant ra = resolvedAt.get(e.id());
        o.put("resolved_at", ra == null ? null : iso(ra));
        o.put("created_at", iso(e.createdAt()));
        o.put("action", e.action());
        o.put("resolution_note", eventResolutionNotes.get(e.id()));
        return o;
    }

    private ObjectNode eventsList(Operator op, Map<String, String> q) {
        long page = queryLong(q, "page", 1, 1, Integer.MAX_VALUE);
        long limit = queryLong(q, "limit", 50, 1, 100);
        String agentId = q.get("agent_id");
        boolean includeResolved = "true".equals(q.get("include_resolved"));
        List<SecurityEvent> matching = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            SecurityEvent e = events.get(i);
            if (e.operatorId().equals(op.id)
                    && (agentId == null || agentId.equals(e.agentId()))
                    && (includeResolved || !e.resolved())) {
                matching.add(e);
            }
        }
        ObjectNode root = Json.object();
        ArrayNode arr = root.putArray("events");
        long from = (page - 1) * limit;
        for (long i = from; i < Math.min(matching.size(), from + limit); i++) {
            arr.add(eventJson(matching.get((int) i)));
        }
        root.put(
                "unresolved_count",
                events.stream()
                        .filter(e -> e.operatorId().equals(op.id) && !e.resolved())
                        .count());
        root.put("page", page);
        root.put("limit", limit);
        return root;
    }
}
