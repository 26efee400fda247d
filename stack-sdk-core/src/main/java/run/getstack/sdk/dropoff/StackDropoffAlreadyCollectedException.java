package run.getstack.sdk.dropoff;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackConflictException;

/**
 * The package was already collected ({@code DROPOFF_ALREADY_COLLECTED}): with several recipients the first collector
 * takes it, and STACK names who did. The package is gone from STACK; ask that agent for it.
 */
public class StackDropoffAlreadyCollectedException extends StackConflictException {
    private static final long serialVersionUID = 1L;

    /** The drop-off, if the server named it. */
    private final @Nullable String dropoffId;

    /** The agent that collected the package, if the server named it. */
    private final @Nullable String collectedBy;

    /** When it was collected, if the server said. */
    private final @Nullable Instant collectedAt;

    /**
     * Creates the exception.
     *
     * @param message what happened, without any secret
     * @param httpStatus the HTTP status (409)
     * @param errorCode STACK's error code
     * @param requestId the control plane's request id, if known
     * @param dropoffId the drop-off, if known
     * @param collectedBy the agent that collected the package, if known
     * @param collectedAt when it was collected, if known
     */
    public StackDropoffAlreadyCollectedException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String dropoffId,
            @Nullable String collectedBy,
            @Nullable Instant collectedAt) {
        super(message, httpStatus, errorCode, requestId, null, null, null);
        this.dropoffId = dropoffId;
        this.collectedBy = collectedBy;
        this.collectedAt = collectedAt;
    }

    /**
     * Returns the drop-off.
     *
     * @return its id, or empty when the server did not name it
     */
    public Optional<String> dropoffId() {
        return Optional.ofNullable(dropoffId);
    }

    /**
     * Returns the agent that took the package.
     *
     * @return its id, or empty when the server did not name it (or named it in a form the SDK does not accept)
     */
    public Optional<String> collectedBy() {
        return Optional.ofNullable(collectedBy);
    }

    /**
     * Returns when the package was taken.
     *
     * @return the instant, or empty when the server did not say
     */
    public Optional<Instant> collectedAt() {
        return Optional.ofNullable(collectedAt);
    }
}
