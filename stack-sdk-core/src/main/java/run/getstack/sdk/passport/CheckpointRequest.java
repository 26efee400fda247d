package run.getstack.sdk.passport;

import java.util.List;
import java.util.Objects;

/**
 * A checkpoint report ({@code POST /v1/passports/{jti}/checkpoint}).
 *
 * @param servicesUsed provider slugs used since the last checkpoint (may be empty)
 * @param actionsCount actions since the last checkpoint, not negative
 * @param delegatedTo agents delegated to since the last checkpoint (may be empty)
 * @param summary what was done, 1 to {@value #MAX_SUMMARY_LENGTH} characters
 */
public record CheckpointRequest(
        List<String> servicesUsed, long actionsCount, List<String> delegatedTo, String summary) {
    /** The longest accepted summary. */
    public static final int MAX_SUMMARY_LENGTH = 1000;

    /**
     *
     * Creates the value, checking its components.
     *
     *
     *
     * @param servicesUsed provider slugs used since the last checkpoint (may be empty)
     *
     * @param actionsCount actions since the last checkpoint, not negative
     *
     * @param delegatedTo agents delegated to since the last checkpoint (may be empty)
     *
     * @param summary what was done, 1 to {@value #MAX_SUMMARY_LENGTH} characters
     *
     */
    public CheckpointRequest {
        servicesUsed = List.copyOf(Objects.requireNonNull(servicesUsed, "servicesUsed"));
        delegatedTo = List.copyOf(Objects.requireNonNull(delegatedTo, "delegatedTo"));
        Objects.requireNonNull(summary, "summary");
        if (actionsCount < 0) {
            throw new IllegalArgumentException("actionsCount: must not be negative");
        }
        if (summary.isEmpty() || summary.length() > MAX_SUMMARY_LENGTH) {
            throw new IllegalArgumentException("summary: must be 1 to " + MAX_SUMMARY_LENGTH + " characters");
        }
    }
}
