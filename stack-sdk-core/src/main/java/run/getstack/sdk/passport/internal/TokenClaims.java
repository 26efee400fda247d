package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.Json;

/**
 * Internal, not for public use. Reads, WITHOUT verifying the signature, the few claims of the client's own passport
 * that allow checks before a request (delegation depth, services and scopes). Used only to fail early; the server
 * decides. Anything unreadable gives null, and the local check is skipped.
 */
public final class TokenClaims {
    /** Longest token read. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final int delegationDepth;
    private final Map<String, Set<String>> scopesByConnection;
    private final Map<String, String> providerByConnection;
    private final Set<String> intentServices;
    private final String jti;
    private final Set<String> services;
    private final @Nullable String accountability;

    private TokenClaims(
            int delegationDepth,
            Map<String, Set<String>> scopesByConnection,
            Map<String, String> providerByConnection,
            Set<String> intentServices,
            String jti,
            @Nullable String accountability) {
        this.delegationDepth = delegationDepth;
        this.accountability = accountability;
        this.scopesByConnection = scopesByConnection;
        this.providerByConnection = providerByConnection;
        this.intentServices = intentServices;
        this.jti = jti;
        Set<String> all = new TreeSet<>(intentServices);
        all.addAll(providerByConnection.values());
        this.services = java.util.Collections.unmodifiableSet(all);
    }

    /**
     * Reads the claims.
     *
     * @param token the passport JWT
     * @return the claims, or null if the token cannot be read
     */
    public static @Nullable TokenClaims read(Secret token) {
        if (token.isClosed() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        String jwt = token.revealPlaintext();
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(parts[1].getBytes(StandardCharsets.US_ASCII));
            JsonNode claims = Json.parse(payload, 0, null);
            JsonNode stk = claims.get("stk");
            if (stk == null || !stk.isObject()) {
                return null;
            }
            JsonNode depth = stk.get("delegation_depth");
            if (depth == null || !depth.isInt()) {
                return null;
            }
            Map<String, Set<String>> scopes = new HashMap<>();
            Map<String, String> providers = new HashMap<>();
            JsonNode services = stk.get("services");
            if (services == null || !services.isArray()) {
                return null;
            }
            for (JsonNode s : services) {
                JsonNode id = s.get("service_id");
                JsonNode sc = s.get("scopes");
                if (id == null || !id.isTextual() || sc == null || !sc.isArray()) {
                    return null;
                }
                Set<String> set = new HashSet<>();
                for (JsonNode v : sc) {
                    if (!v.isTextual()) {
                        return null;
                    }
                    set.add(v.asText());
                }
                scopes.put(id.asText(), set);
                JsonNode name = s.get("service_name");
                if (name != null && name.isTextual()) {
                    providers.put(id.asText(), name.asText());
                }
            }
            Set<String> intent = new TreeSet<>();
            JsonNode is = stk.get("intent_services");
            if (is != null && is.isArray()) {
                for (JsonNode v : is) {
                    if (v.isTextual()) {
                        intent.add(v.asText());
                    }
                }
            }
            JsonNode jti = claims.get("jti");
            JsonNode mode = stk.get("accountability");
            return new TokenClaims(
                    depth.asInt(),
                    scopes,
                    providers,
                    intent,
                    jti != null && jti.isTextual() ? jti.asText() : "",
                    mode != null && mode.isTextual() ? mode.asText() : null);
        } catch (IllegalArgumentException | StackException e) {
            return null;
        }
    }

    /**
     * Returns {@code stk.delegation_depth}.
     *
     * @return {@code stk.delegation_depth}
     */
    public int delegationDepth() {
        return delegationDepth;
    }

    /**
     * Returns the scopes per service connection id in {@code stk.services}.
     *
     * @return the scopes per service connection id in {@code stk.services}
     */
    public Map<String, Set<String>> scopesByConnection() {
        return scopesByConnection;
    }

    /**
     * Returns the provider slug ({@code stk.services[].service_name}) per service connection id.
     *
     * @return the provider per connection id
     */
    public Map<String, String> providerByConnection() {
        return providerByConnection;
    }

    /**
     * Returns {@code stk.intent_services}.
     *
     * @return the intent's services, empty when there is no intent
     */
    public Set<String> intentServices() {
        return intentServices;
    }

    /**
     * Returns the services the passport may reach: {@code stk.intent_services} and every {@code
     * stk.services[].service_name} (wire protocol §4.3, the set S), sorted.
     *
     * @return the provider slugs
     */
    public Set<String> services() {
        return services;
    }

    /**
     * Returns the {@code jti} claim.
     *
     * @return the jti, empty when absent
     */
    public String jti() {
        return jti;
    }

    /**
     * Returns {@code stk.accountability} ({@code enforced}, {@code logged}, {@code standard}), or null.
     *
     * @return the mode, or null
     */
    public @Nullable String accountability() {
        return accountability;
    }
}
