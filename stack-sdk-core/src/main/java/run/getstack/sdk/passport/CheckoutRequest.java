package run.getstack.sdk.passport;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A checkout report ({@code POST /v1/passports/{jti}/checkout}): the end of the passport's mission.
 *
 * @param summary what was done, 1 to {@value CheckpointRequest#MAX_SUMMARY_LENGTH} characters
 * @param servicesUsed provider slugs used (may be empty)
 * @param actionsCount actions taken, or null if not counted
 * @param outcome how the mission ended
 */
public record CheckoutRequest(
        String summary, List<String> servicesUsed, @Nullable Long actionsCount, Outcome outcome) {
    /** How a mission ended. */
    public enum Outcome {
        /** It succeeded. */
        SUCCESS,
        /** It failed. */
        FAILURE
    }

    /**
     *
     * Creates the value, checking its components.
     *
     *
     *
     * @param summary what was done, 1 to {@value CheckpointRequest#MAX_SUMMARY_LENGTH} characters
     *
     * @param servicesUsed provider slugs used (may be empty)
     *
     * @param actionsCount actions taken, or null if not counted
     *
     * @param outcome how the mission ended
     *
     */
    public CheckoutRequest {
        Objects.requireNonNull(summary, "summary");
        servicesUsed = List.copyOf(Objects.requireNonNull(servicesUsed, "servicesUsed"));
        Objects.requireNonNull(outcome, "outcome");
        if (summary.isEmpty() || summary.length() > CheckpointRequest.MAX_SUMMARY_LENGTH) {
            throw new IllegalArgumentException(
                    "summary: must be 1 to " + CheckpointRequest.MAX_SUMMARY_LENGTH + " characters");
        }
        if (actionsCount != null && actionsCount < 0) {
            throw new IllegalArgumentException("actionsCount: must not be negative");
        }
    }

    /**
     * A successful checkout with only a summary.
     *
     * @param summary what was done
     * @return the request
     */
    public static CheckoutRequest success(String summary) {
        return new CheckoutRequest(summary, List.of(), null, Outcome.SUCCESS);
    }
}
