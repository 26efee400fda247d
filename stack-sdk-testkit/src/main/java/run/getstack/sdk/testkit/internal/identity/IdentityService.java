package run.getstack.sdk.testkit.internal.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportRevocation;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.revocation.RevocationFeed;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Identity claims (wire protocol §10.2). A verification session stays {@code pending}
 * until the test plays the person at the provider ({@link #decide}); approving it creates one claim per requested
 * claim type. Passports embed the operator's active claims (§3.1 {@code identity_claim_ids}); revoking a claim revokes
 * every live passport carrying it as one {@code bulk_claim} event. Claims hold no personal data. Runs under the state
 * lock unless a method says otherwise.
 */
public final class IdentityService {
    /** How long a verification session stays open. */
    static final Duration SESSION_TTL = Duration.ofMinutes(10);

    /** How long a claim is valid (STACK's {@code identity_claim_ttl} default of 90 days). */
    static final Duration CLAIM_TTL = Duration.ofDays(90);

    /** A provider of the fake's catalogue. */
    record Provider(
            String id, String name, String key, List<String> layers, List<String> claimTypes, String assurance) {}

    /** STACK's documented providers (reference: /docs/concepts/identity), with stable ids. */
    static final List<Provider> PROVIDERS = List.of(
            new Provider(
                    "idp_bankidse000000000000001",
                    "BankID (Sweden)",
                    "bankid_se",
                    List.of("humanity", "identity"),
                    List.of("verified_human", "verified_identity"),
                    "high"),
            new Provider(
                    "idp_stripeidentity000000002",
                    "Stripe Identity",
                    "stripe_identity",
                    List.of("humanity", "identity"),
                    List.of("verified_human", "verified_identity"),
                    "substantial"),
            new Provider(
                    "idp_logingov000000000000003",
                    "Login.gov",
                    "login_gov",
                    List.of("humanity", "identity"),
                    List.of("verified_human", "verified_identity"),
                    "high"),
            new Provider(
                    "idp_idme00000000000000000004",
                    "ID.me",
                    "id_me",
                    List.of("humanity", "identity"),
                    List.of("verified_human", "verified_identity"),
                    "substantial"),
            new Provider(
                    "idp_plaid0000000000000000005",
                    "Plaid",
                    "plaid",
                    List.of("humanity"),
                    List.of("verified_human"),
                    "substantial"));

    private static final Map<String, String> LAYER_OF_TYPE =
            Map.of("verified_human", "humanity", "verified_identity", "identity", "delegated_authority", "delegation");

    /** A verification session. */
    static final class Session {
        final String id;
        final String operatorId;
        final Provider provider;
        final List<String> requestedClaims;
        final Instant expiresAt;
        String status = "pending";
        final List<String> claimIds = new ArrayList<>();

        Session(String id, String operatorId, Provider provider, List<String> requestedClaims, Instant expiresAt) {
            this.id = id;
            this.operatorId = operatorId;
            this.provider = provider;
            this.requestedClaims = List.copyOf(requestedClaims);
            this.expiresAt = expiresAt;
        }
    }

    /** A verified claim; never holds personal data. */
    static final class Claim {
        final String id;
        final String operatorId;
        final String provider;
        final String layer;
        final String type;
        final String assurance;
        final Instant verifiedAt;
        final Instant expiresAt;
        boolean revoked;

        Claim(
                String id,
                String operatorId,
                String provider,
                String layer,
                String type,
                String assurance,
                Instant verifiedAt,
                Instant expiresAt) {
            this.id = id;
            this.operatorId = operatorId;
            this.provider = provider;
            this.layer = layer;
            this.type = type;
            this.assurance = assurance;
            this.verifiedAt = verifiedAt;
            this.expiresAt = expiresAt;
        }
    }

    private final FakeState state;
    private final IdentityStore store;
    private final Services services;

    IdentityService(FakeState state, IdentityStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    static ArrayNode providers() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Provider p : PROVIDERS) {
            ObjectNode o = out.addObject();
            o.put("id", p.id());
            o.put("name", p.name());
            o.put("provider_key", p.key());
            o.set("supported_layers", Json.strings(p.layers()));
            o.set("claim_types", Json.strings(p.claimTypes()));
            o.put("assurance_level", p.assurance());
            o.put("status", "active");
        }
        return out;
    }

    private static Provider provider(String key, String field) {
        for (Provider p : PROVIDERS) {
            if (p.key().equals(key)) {
                return p;
            }
        }
        throw ApiError.invalid(field, "unknown provider: " + key);
    }

    ObjectNode start(String operatorId, Body b, String trace) {
        // STACK live (stack_start_identity_verification) names it provider_key; the Python SDK's provider is accepted
        String field = b.has("provider_key") || !b.has("provider") ? "provider_key" : "provider";
        Provider p = provider(b.reqString(field, 64), field);
        List<String> requested = b.optStrings("requested_claims", 4, 64);
        if (requested == null || requested.isEmpty()) {
            requested = List.of("verified_human");
        }
        for (String t : requested) {
            if (!p.claimTypes().contains(t)) {
                throw ApiError.invalid("requested_claims", p.key() + " does not verify " + t);
            }
        }
        b.optString("return_url", 2048);
        Session s = new Session(
                Wire.id("idv_"),
                operatorId,
                p,
                List.copyOf(new LinkedHashSet<>(requested)),
                state.now().plus(SESSION_TTL));
        store.sessions.put(s.id, s);
        ObjectNode d = Json.object();
        d.put("provider", p.key());
        d.put("session_id", s.id);
        services.get(AuditService.class)
                .append(operatorId, null, null, "identity.verification_start", "success", trace, d);
        return sessionJson(s);
    }

    /**
     * A session of the operator.
     *
     * @param operatorId operator
     * @param sessionId session
     * @return the session
     * @throws ApiError 404 otherwise
     */
    Session ownSession(String operatorId, String sessionId) {
        Session s = store.sessions.get(sessionId);
        if (s == null || !s.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Verification session");
        }
        return s;
    }

    private void expireIfDue(Session s) {
        if (s.status.equals("pending") && !state.now().isBefore(s.expiresAt)) {
            s.status = "expired";
        }
    }

    ObjectNode sessionJson(Session s) {
        expireIfDue(s);
        ObjectNode o = Json.object();
        o.put("session_id", s.id);
        o.put("session_ref", s.id);
        o.put("provider_key", s.provider.key());
        o.set("requested_claims", Json.strings(s.requestedClaims));
        o.put("status", s.status);
        o.put("redirect_url", "https://verify.example.invalid/" + s.provider.key() + "/" + s.id);
        o.put("expires_at", Wire.iso(s.expiresAt));
        ArrayNode claims = o.putArray("claims");
        for (String id : s.claimIds) {
            claims.add(claimJson(java.util.Objects.requireNonNull(store.claims.get(id))));
        }
        return o;
    }

    ObjectNode complete(String operatorId, Body b, String trace) {
        String pf = b.has("provider_key") || !b.has("provider") ? "provider_key" : "provider";
        String key = b.reqString(pf, 64);
        String sf = b.has("session_id") || !b.has("session_ref") ? "session_id" : "session_ref";
        Session s = ownSession(operatorId, b.reqString(sf, 128));
        if (!s.provider.key().equals(key)) {
            throw ApiError.invalid(pf, "the session was started with another provider");
        }
        expireIfDue(s);
        if (!s.status.equals("completed")) {
            throw ApiError.reason(
                    409, "CONFLICT", "Verification is " + s.status + ", not completed", "verification_" + s.status);
        }
        return sessionJson(s);
    }

    /**
     * The test's decision at the provider: approving creates one claim per requested type; rejecting fails the
     * session. Under the lock.
     *
     * @param operatorId operator
     * @param sessionId session
     * @param approve whether the person passed
     * @return the claim ids created (empty on a rejection)
     * @throws IllegalArgumentException for an unknown session
     * @throws IllegalStateException when the session is no longer pending
     */
    public List<String> decide(String operatorId, String sessionId, boolean approve) {
        Session s = store.sessions.get(sessionId);
        if (s == null || !s.operatorId.equals(operatorId)) {
            throw new IllegalArgumentException("unknown verification session: " + sessionId);
        }
        expireIfDue(s);
        if (!s.status.equals("pending")) {
            throw new IllegalStateException("verification session " + sessionId + " is " + s.status);
        }
        if (!approve) {
            s.status = "failed";
            return List.of();
        }
        Instant now = state.now();
        for (String type : s.requestedClaims) {
            Claim c = new Claim(
                    Wire.id("clm_"),
                    operatorId,
                    s.provider.key(),
                    LAYER_OF_TYPE.getOrDefault(type, "humanity"),
                    type,
                    s.provider.assurance(),
                    now,
                    now.plus(CLAIM_TTL));
            store.claims.put(c.id, c);
            s.claimIds.add(c.id);
            ObjectNode d = Json.object();
            d.put("claim_id", c.id);
            d.put("claim_type", type);
            services.get(AuditService.class)
                    .append(operatorId, null, null, "identity.claim_verified", "success", "provider", d);
        }
        s.status = "completed";
        return List.copyOf(s.claimIds);
    }

    private boolean active(Claim c) {
        return !c.revoked && state.now().isBefore(c.expiresAt);
    }

    private ObjectNode claimJson(Claim c) {
        ObjectNode o = embedded(c);
        o.put("claim_ref", c.id);
        o.put("status", c.revoked ? "revoked" : active(c) ? "active" : "expired");
        return o;
    }

    private static ObjectNode embedded(Claim c) {
        ObjectNode o = Json.object();
        o.put("claim_id", c.id);
        o.put("provider", c.provider);
        o.put("layer", c.layer);
        o.put("claim_type", c.type);
        o.put("assurance_level", c.assurance);
        o.put("verified_at", c.verifiedAt.getEpochSecond());
        o.put("expires_at", c.expiresAt.getEpochSecond());
        return o;
    }

    ObjectNode listClaims(String operatorId) {
        ObjectNode o = Json.object();
        ArrayNode arr = o.putArray("claims");
        for (Claim c : store.claims.values()) {
            if (c.operatorId.equals(operatorId)) {
                arr.add(claimJson(c));
            }
        }
        return o;
    }

    /**
     * The {@code stk.identity_claims} a new passport carries (§3.1): the given claims, each an active claim of the
     * operator, or all the operator's active claims when none are named.
     *
     * @param operatorId operator
     * @param requested {@code identity_claim_ids}, or null for all
     * @return the claim objects to sign, in claim order
     * @throws ApiError 400 naming {@code identity_claim_ids} for a claim that is unknown or not active
     */
    public List<ObjectNode> claimsForIssue(String operatorId, @Nullable List<String> requested) {
        List<ObjectNode> out = new ArrayList<>();
        if (requested == null) {
            for (Claim c : store.claims.values()) {
                if (c.operatorId.equals(operatorId) && active(c)) {
                    out.add(embedded(c));
                }
            }
            return out;
        }
        for (String id : new LinkedHashSet<>(requested)) {
            Claim c = store.claims.get(id);
            if (c == null || !c.operatorId.equals(operatorId) || !active(c)) {
                throw ApiError.invalid("identity_claim_ids", "not an active claim of this operator: " + id);
            }
            out.add(embedded(c));
        }
        return out;
    }

    /**
     * The claims a refreshed or delegated passport keeps (§3.4): those of the old one still active.
     *
     * @param claimIds the old passport's claims
     * @return the claim objects to sign
     */
    public List<ObjectNode> stillActive(List<String> claimIds) {
        List<ObjectNode> out = new ArrayList<>();
        for (String id : claimIds) {
            Claim c = store.claims.get(id);
            if (c != null && active(c)) {
                out.add(embedded(c));
            }
        }
        return out;
    }

    /**
     * The trust level (0–3) a passport's active claims give: L1 humanity, L2 identity, L3 delegation.
     *
     * @param claimIds the passport's claims
     * @return the level
     */
    public int trustLevel(List<String> claimIds) {
        int level = 0;
        for (String id : claimIds) {
            Claim c = store.claims.get(id);
            if (c != null && active(c)) {
                level = Math.max(
                        level,
                        switch (c.layer) {
                            case "delegation" -> 3;
                            case "identity" -> 2;
                            default -> 1;
                        });
            }
        }
        return level;
    }

    ObjectNode revokeClaim(String operatorId, String claimId, String trace) {
        Claim c = store.claims.get(claimId);
        if (c == null || !c.operatorId.equals(operatorId)) {
            throw ApiError.notFound("Identity claim");
        }
        List<String> jtis = new ArrayList<>();
        if (!c.revoked) {
            c.revoked = true;
            String reason = "claim_revoked: " + claimId;
            PassportRevocation revocation = services.get(PassportRevocation.class);
            for (Passport p : services.get(PassportService.class).carryingClaim(claimId)) {
                if (!p.revoked && p.operatorId.equals(operatorId)) {
                    jtis.addAll(revocation.revokeCascade(p, reason, trace));
                }
            }
            services.get(RevocationFeed.class).emitClaim(operatorId, claimId, jtis, reason);
            ObjectNode d = Json.object();
            d.put("claim_id", claimId);
            d.put("revoked_count", jtis.size());
            services.get(AuditService.class)
                    .append(operatorId, null, null, "identity.claim_revoke", "success", trace, d);
        }
        ObjectNode o = Json.object();
        o.put("claim_id", claimId);
        o.put("revoked", true);
        o.put("revoked_count", jtis.size());
        return o;
    }
}
