package run.getstack.sdk.internal.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One thing the SDK did or saw, in the vocabulary of STACK's audit events (docs/wire-protocol.md §8.5): a dotted
 * action ({@code lease.acquired}, {@code passport.refreshed}, {@code revocation.seen}, {@code proxy.call}, {@code
 * local.refused}), an outcome, the passport it happened under, and a small detail map of non-secret strings.
 *
 * <p>Never put a secret in an event: no token, credential value, key or raw lease id (use a fingerprint).
 *
 * @param at when it happened, on the client's clock
 * @param action dotted lower-case action, at most 128 characters
 * @param outcome what came of it
 * @param passportJti the passport it happened under, if any
 * @param duration how long it took, if measured
 * @param detail non-secret detail (at most 16 entries)
 */
public record ClientEvent(
        Instant at,
        String action,
        Outcome outcome,
        @Nullable String passportJti,
        @Nullable Duration duration,
        Map<String, String> detail) {
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

    /** The outcome values of §8.5. */
    public enum Outcome {
        /** It worked. */
        SUCCESS,
        /** It failed. */
        FAILURE,
        /** It is waiting (an approval, a pause). */
        PENDING,
        /** The SDK or STACK refused it. */
        BLOCKED
    }

    /** Checks the fields. */
    public ClientEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (action.length() > 128 || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("action: must be dotted lower-case [a-z0-9_], at most 128 characters");
        }
        if (detail.size() > 16) {
            throw new IllegalArgumentException("detail: at most 16 entries, was " + detail.size());
        }
        detail = Map.copyOf(detail);
    }
}
