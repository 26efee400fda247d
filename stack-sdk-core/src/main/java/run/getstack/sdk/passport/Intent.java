package run.getstack.sdk.passport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the agent means to do with a passport; required by STACK for agents in {@code enforced} and {@code logged}
 * mode.
 *
 * @param summary what the agent will do, 1 to {@value #MAX_SUMMARY_LENGTH} characters
 * @param services the provider slugs it will use ({@code "slack"}, ...)
 * @param willDelegate whether it will delegate to other agents
 * @param estimatedDuration how long it expects to take, if known
 */
public record Intent(
        String summary,
        List<String> services,
        boolean willDelegate,
        @Nullable Duration estimatedDuration) {
    /** The longest accepted summary. */
    public static final int MAX_SUMMARY_LENGTH = 500;

    /**
     *
     * Creates the value, checking its components.
     *
     *
     *
     * @param summary what the agent will do, 1 to {@value #MAX_SUMMARY_LENGTH} characters
     *
     * @param services the provider slugs it will use ({@code "slack"}, ...)
     *
     * @param willDelegate whether it will delegate to other agents
     *
     * @param estimatedDuration how long it expects to take, if known
     *
     */
    public Intent {
        Objects.requireNonNull(summary, "summary");
        if (summary.isEmpty() || summary.length() > MAX_SUMMARY_LENGTH) {
            throw new IllegalArgumentException("summary: must be 1 to " + MAX_SUMMARY_LENGTH + " characters");
        }
        services = List.copyOf(Objects.requireNonNull(services, "services"));
        if (estimatedDuration != null && estimatedDuration.isNegative()) {
            throw new IllegalArgumentException("estimatedDuration: must not be negative");
        }
    }

    /**
     * Creates an intent that will not delegate and has no duration estimate.
     *
     * @param summary what the agent will do
     * @param services the provider slugs it will use
     * @return the intent
     */
    public static Intent of(String summary, List<String> services) {
        return new Intent(summary, services, false, null);
    }
}
