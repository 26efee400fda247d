package run.getstack.sdk.passport;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The control plane's verdict on a passport ({@code POST /v1/passports/verify}).
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
}
