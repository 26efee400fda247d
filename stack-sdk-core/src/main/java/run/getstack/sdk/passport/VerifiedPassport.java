package run.getstack.sdk.passport;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A passport whose signature and claims {@link PassportVerifier} has checked. Immutable and thread-safe; scope checks
 * ({@link #allows(String, String)}) are hash lookups in sets built once. Holds no token and no secret.
 */
public final class VerifiedPassport {
    private final String jti;
    private final String agentId;
    private final String operatorId;
    private final @Nullable String agentName;
    private final String issuer;
    private final String audience;
    private final Instant issuedAt;
    private final @Nullable Instant notBefore;
    private final Instant expiresAt;
    private final List<PassportService> services;
    private final @Nullable String intentSummary;
    private final List<String> intentServices;
    private final int delegationDepth;
    private final @Nullable String sessionId;
    private final @Nullable String parentJti;
    private final List<String> delegationChain;
    private final @Nullable String accountability;
    private final @Nullable Duration checkpointInterval;
    private final @Nullable String keyId;
    private final List<IdentityClaim> identityClaims;

    /** Scopes by provider slug, merged across the connections that share it. */
    private final Map<String, Set<String>> scopesByName;

    /** Scopes by service connection id. */
    private final Map<String, Set<String>> scopesByConnection;

    VerifiedPassport(Builder b) {
        this.jti = b.jti;
        this.agentId = b.agentId;
        this.operatorId = b.operatorId;
        this.agentName = b.agentName;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.issuedAt = b.issuedAt;
        this.notBefore = b.notBefore;
        this.expiresAt = b.expiresAt;
        this.services = List.copyOf(b.services);
        this.intentSummary = b.intentSummary;
        this.intentServices = List.copyOf(b.intentServices);
        this.delegationDepth = b.delegationDepth;
        this.sessionId = b.sessionId;
        this.parentJti = b.parentJti;
        this.delegationChain = List.copyOf(b.delegationChain);
        this.accountability = b.accountability;
        this.checkpointInterval = b.checkpointInterval;
        this.keyId = b.keyId;
        this.identityClaims = b.identityClaims;
        this.scopesByName = index(services, true);
        this.scopesByConnection = index(services, false);
    }

    /**
     * Indexes the scopes by provider slug or by connection id. A key held by one service entry maps to that entry's
     * own (unmodifiable) scope set, so the usual passport builds no set of its own; a key several entries share maps
     * to the union of their scopes.
     */
    private static Map<String, Set<String>> index(List<PassportService> services, boolean byName) {
        if (services.isEmpty()) {
            return Map.of();
        }
        Map<String, Set<String>> map = new HashMap<>(services.size() * 2);
        for (PassportService s : services) {
            String key = byName ? s.serviceName() : s.serviceId();
            Set<String> previous = map.putIfAbsent(key, s.scopes());
            if (previous != null) {
                Set<String> union = new LinkedHashSet<>(previous);
                union.addAll(s.scopes());
                map.put(key, Collections.unmodifiableSet(union));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Mutable holder the claims reader fills; package-private. */
    static final class Builder {
        String jti = "";
        String agentId = "";
        String operatorId = "";

        @Nullable
        String agentName;

        String issuer = "";
        String audience = "";
        Instant issuedAt = Instant.EPOCH;

        @Nullable
        Instant notBefore;

        Instant expiresAt = Instant.EPOCH;
        List<PassportService> services = List.of();

        @Nullable
        String intentSummary;

        List<String> intentServices = List.of();
        int delegationDepth;

        @Nullable
        String sessionId;

        @Nullable
        String parentJti;

        List<String> delegationChain = List.of();

        @Nullable
        String accountability;

        @Nullable
        Duration checkpointInterval;

        @Nullable
        String keyId;

        List<IdentityClaim> identityClaims = List.of();
    }

    /**
     * Tells whether the passport grants a scope on a service.
     *
     * @param service the service name ({@code stripe}) or service connection id ({@code svc_conn_...})
     * @param scope the scope, exactly as granted ({@code charges:read})
     * @return true if some service entry with that name or id grants the scope; when several connections share a
     *     provider name, a scope granted on any of them counts (use {@link #allowsConnection(String, String)} when
     *     the caller acts on one particular connection)
     */
    public boolean allows(String service, String scope) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(scope, "scope");
        return contains(scopesByConnection, service, scope) || contains(scopesByName, service, scope);
    }

    /**
     * Tells whether the passport grants a scope on one service connection, the strict check for a service that
     * acts on a known connection: scopes granted on other connections of the same provider do not count.
     *
     * @param connectionId the service connection id ({@code svc_conn_...}), as in {@code stk.services[].service_id}
     * @param scope the scope, exactly as granted
     * @return true if that connection's entry grants the scope
     */
    public boolean allowsConnection(String connectionId, String scope) {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(scope, "scope");
        return contains(scopesByConnection, connectionId, scope);
    }

    private static boolean contains(Map<String, Set<String>> map, String key, String scope) {
        Set<String> scopes = map.get(key);
        return scopes != null && scopes.contains(scope);
    }

    /**
     * Tells whether the passport names a service at all.
     *
     * @param service the service name or service connection id
     * @return true if present
     */
    public boolean hasService(String service) {
        Objects.requireNonNull(service, "service");
        return scopesByConnection.containsKey(service) || scopesByName.containsKey(service);
    }

    /**
     * Returns every scope granted on a service.
     *
     * @param service the service name or service connection id
     * @return an unmodifiable set, empty when the service is absent
     */
    public Set<String> scopesFor(String service) {
        Objects.requireNonNull(service, "service");
        Set<String> byConnection = scopesByConnection.get(service);
        Set<String> byName = scopesByName.get(service);
        if (byConnection == null) {
            return byName == null ? Collections.emptySet() : byName;
        }
        if (byName == null) {
            return byConnection;
        }
        Set<String> both = new HashSet<>(byConnection);
        both.addAll(byName);
        return Set.copyOf(both);
    }

    /**
     * Returns the passport id ({@code jti}).
     *
     * @return the jti
     */
    public String jti() {
        return jti;
    }

    /**
     * Returns the agent the passport was issued to ({@code sub}, equal to {@code stk.agent_id}).
     *
     * @return the agent id
     */
    public String agentId() {
        return agentId;
    }

    /**
     * Returns the operator that owns the agent ({@code stk.operator_id}).
     *
     * @return the operator id
     */
    public String operatorId() {
        return operatorId;
    }

    /**
     * Returns the agent's name ({@code stk.agent_name}).
     *
     * @return the name, or null when the passport has none
     */
    public @Nullable String agentName() {
        return agentName;
    }

    /**
     * Returns the issuer ({@code iss}).
     *
     * @return the issuer
     */
    public String issuer() {
        return issuer;
    }

    /**
     * Returns the audience the passport was verified for ({@code aud}).
     *
     * @return the audience
     */
    public String audience() {
        return audience;
    }

    /**
     * Returns when the passport was issued ({@code iat}).
     *
     * @return the issue time
     */
    public Instant issuedAt() {
        return issuedAt;
    }

    /**
     * Returns the start of validity ({@code nbf}).
     *
     * @return the time, or null when the token has no {@code nbf}
     */
    public @Nullable Instant notBefore() {
        return notBefore;
    }

    /**
     * Returns when the passport expires ({@code exp}).
     *
     * @return the expiry
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * Returns the granted services ({@code stk.services}).
     *
     * @return an unmodifiable list
     */
    public List<PassportService> services() {
        return services;
    }

    /**
     * Returns the declared intent ({@code stk.intent_summary}).
     *
     * @return the summary, or null when no intent was declared
     */
    public @Nullable String intentSummary() {
        return intentSummary;
    }

    /**
     * Returns the services the intent names ({@code stk.intent_services}).
     *
     * @return an unmodifiable list, empty when no intent was declared
     */
    public List<String> intentServices() {
        return intentServices;
    }

    /**
     * Returns how many delegation hops lie between the root passport and this one ({@code stk.delegation_depth}).
     *
     * @return 0 for a root passport
     */
    public int delegationDepth() {
        return delegationDepth;
    }

    /**
     * Returns the session the passport belongs to ({@code stk.session_id}).
     *
     * @return the session id, or null when absent
     */
    public @Nullable String sessionId() {
        return sessionId;
    }

    /**
     * Returns the parent passport's jti ({@code stk.parent_jti}).
     *
     * @return the parent jti, or null for a root passport
     */
    public @Nullable String parentJti() {
        return parentJti;
    }

    /**
     * Returns the ancestors' jtis, root first, excluding this passport ({@code stk.delegation_chain}).
     *
     * @return an unmodifiable list, empty for a root passport
     */
    public List<String> delegationChain() {
        return delegationChain;
    }

    /**
     * Returns the accountability mode ({@code enforced}, {@code logged} or {@code standard}).
     *
     * @return the mode, or null when absent
     */
    public @Nullable String accountability() {
        return accountability;
    }

    /**
     * Returns the checkpoint interval of an enforced or logged passport ({@code stk.checkpoint_interval}).
     *
     * @return the interval, or null when the passport has none
     */
    public @Nullable Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * Returns the identity claims the passport carries ({@code stk.identity_claims}): which provider verified what
     * about the human behind the agent, at which layer and assurance level. Never personal data.
     *
     * @return an unmodifiable list, in token order; empty when the passport carries none
     */
    public List<IdentityClaim> identityClaims() {
        return identityClaims;
    }

    /**
     * Tells whether the passport carries a claim of a type that is still valid at an instant.
     *
     * @param claimType such as {@code verified_human}
     * @param now the instant (usually the verifier's clock)
     * @return true if some carried claim has that type and has not lapsed
     */
    public boolean hasIdentityClaim(String claimType, Instant now) {
        for (IdentityClaim c : identityClaims) {
            if (c.claimType().equals(claimType) && c.isValidAt(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the id of the key that signed the passport.
     *
     * @return the kid, or null when the token had none
     */
    public @Nullable String keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "VerifiedPassport{jti=" + jti + ", agentId=" + agentId + ", operatorId=" + operatorId + ", expiresAt="
                + expiresAt + ", services=" + services + ", delegationDepth=" + delegationDepth + '}';
    }
}
