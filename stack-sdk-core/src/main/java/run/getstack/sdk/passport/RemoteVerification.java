package run.getstack.sdk.passport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's verdict on a passport ({@code POST /v1/passports/verify}), made after a live revocation check
 * (a passport whose mission has ended is {@code revoked}). When valid it names the agent and the scopes ({@link
 * #agentId()}, {@link #scopes()}, {@link #missionId()}), read from the verified claims.
 *
 * @param valid whether every check passed
 * @param reason why not ({@code malformed}, {@code unknown_key}, {@code bad_signature}, {@code checked_out},
 *     {@code revoked}, {@code expired}, {@code service_not_in_scope}); null when valid
 * @param claims the passport's claims as signed (JSON objects as maps, arrays as lists); empty when not valid
 */
public record RemoteVerification(boolean valid, @Nullable String reason, Map<String, Object> claims) {
    /**
     * Creates the value, checking its components.
     *
     * @param valid whether every check passed
     * @param reason why not ({@code malformed}, {@code unknown_key}, {@code bad_signature}, {@code checked_out}, {@code revoked}, {@code expired}, {@code service_not_in_scope}); null when valid
     * @param claims the passport's claims as signed (JSON objects as maps, arrays as lists); empty when not valid
     */
    public RemoteVerification {
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
    }

    /**
     * Returns the reason as an optional.
     *
     * @return the reason, empty when valid
     */
    public Optional<String> failureReason() {
        return Optional.ofNullable(reason);
    }

    /**
     * Returns the agent the passport was issued to ({@code sub}).
     *
     * @return the agent id, empty when not valid
     */
    public Optional<String> agentId() {
        return claims.get("sub") instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * Returns the mission the passport belongs to ({@code stk.mission_id}).
     *
     * @return the mission id, empty when not valid or not named
     */
    public Optional<String> missionId() {
        return stk().get("mission_id") instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /**
     * Returns the passport's scopes per service connection ({@code stk.services}).
     *
     * @return the scopes, empty when not valid
     */
    public List<ServiceScope> scopes() {
        if (!(stk().get("services") instanceof List<?> services)) {
            return List.of();
        }
        List<ServiceScope> out = new ArrayList<>();
        for (Object o : services) {
            if (o instanceof Map<?, ?> m
                    && m.get("service_id") instanceof String id
                    && m.get("scopes") instanceof List<?> sc) {
                List<String> scopes = new ArrayList<>();
                for (Object v : sc) {
                    if (v instanceof String str) {
                        scopes.add(str);
                    }
                }
                try {
                    out.add(new ServiceScope(id, scopes));
                } catch (IllegalArgumentException e) {
                    // a connection id the SDK would not send is left out rather than failing the verdict
                }
            }
        }
        return List.copyOf(out);
    }

    private Map<?, ?> stk() {
        return claims.get("stk") instanceof Map<?, ?> m ? m : Map.of();
    }
}
