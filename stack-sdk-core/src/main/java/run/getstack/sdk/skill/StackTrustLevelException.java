package run.getstack.sdk.skill;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackPermissionException;

/**
 * The skill needs an identity level the caller's passport lacks ({@code TRUST_LEVEL_INSUFFICIENT}, HTTP 403): level 1
 * needs a verified-human claim, 2 a verified identity, 3 delegated authority (see {@code client.identity()}; a passport
 * issued after the verification carries the claim). Not retried.
 */
public class StackTrustLevelException extends StackPermissionException {
    private static final long serialVersionUID = 1L;

    /** The level the skill needs, if the server said. */
    private final @Nullable Integer requiredTrustLevel;

    /** The level the passport gives, if the server said. */
    private final @Nullable Integer trustLevel;

    /**
     * Creates the exception.
     *
     * @param message what happened (no secret)
     * @param httpStatus the status
     * @param errorCode {@code TRUST_LEVEL_INSUFFICIENT}
     * @param requestId the request id, if any
     * @param requiredTrustLevel the level the skill needs, if known
     * @param trustLevel the level the passport gives, if known
     * @param retryAfter the server's {@code Retry-After}, if any
     * @param cause the cause, if any
     */
    public StackTrustLevelException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            @Nullable Integer requiredTrustLevel,
            @Nullable Integer trustLevel,
            @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, httpStatus, errorCode, requestId, null, retryAfter, cause);
        this.requiredTrustLevel = requiredTrustLevel;
        this.trustLevel = trustLevel;
    }

    /**
     * Returns the level the skill needs.
     *
     * @return 0 to 3, or null if the server did not say
     */
    public @Nullable Integer requiredTrustLevel() {
        return requiredTrustLevel;
    }

    /**
     * Returns the level the caller's passport gives.
     *
     * @return 0 to 3, or null if the server did not say
     */
    public @Nullable Integer trustLevel() {
        return trustLevel;
    }
}
