package run.getstack.sdk.dropoff;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;

/**
 * The drop-off has expired ({@code DROPOFF_EXPIRED}): its TTL passed or it was expired explicitly, and any package was
 * deleted. Create a new drop-off.
 */
public class StackDropoffExpiredException extends StackApiException {
    private static final long serialVersionUID = 1L;

    /** The drop-off, if the server named it. */
    private final @Nullable String dropoffId;

    /**
     * Creates the exception.
     *
     * @param message what happened, without any secret
     * @param httpStatus the HTTP status (410)
     * @param errorCode STACK's error code
     * @param requestId the control plane's request id, if known
     * @param dropoffId the drop-off, if known
     */
    public StackDropoffExpiredException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable String dropoffId) {
        super(message, httpStatus, errorCode, requestId, null, null, null);
        this.dropoffId = dropoffId;
    }

    /**
     * Returns the drop-off.
     *
     * @return its id, or empty when the server did not name it
     */
    public Optional<String> dropoffId() {
        return Optional.ofNullable(dropoffId);
    }
}
