package run.getstack.sdk.revocation;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * The client could not learn whether a passport is still valid within the revocation staleness bound ({@code
 * StackClient.Builder.revocationStaleness(Duration)}, default 60 s), so it refused to present it: a credential,
 * lease or proxy call is failed closed rather than risk using a passport that may have been revoked. Nothing was
 * sent. Typically the control plane cannot be reached; the cause, when present, is the last failed attempt to ask.
 *
 * <p>Not terminal: once the revocation feed or the status endpoint answers again, calls go through (or fail with
 * {@code StackPassportRevokedException} if the passport was revoked meanwhile). To serve through such outages
 * instead, choose {@code StackClient.Builder.revocationFailOpen(true)} explicitly.
 */
public class StackRevocationUnknownException extends StackException {
    private static final long serialVersionUID = 1L;

    /** The passport the call was refused for. */
    private final String passportJti;

    /** How old the client's latest revocation knowledge of the passport was, or null if it never had any. */
    private final @Nullable Duration knowledgeAge;

    /** The configured bound. */
    private final Duration bound;

    /**
     * Creates an exception.
     *
     * @param message why, without any secret
     * @param passportJti the passport's id
     * @param knowledgeAge how old the latest knowledge was, or null if there was none
     * @param bound the configured staleness bound
     * @param cause the last failed attempt to ask, if any
     */
    public StackRevocationUnknownException(
            String message,
            String passportJti,
            @Nullable Duration knowledgeAge,
            Duration bound,
            @Nullable Throwable cause) {
        super(message, cause);
        this.passportJti = Objects.requireNonNull(passportJti, "passportJti");
        this.knowledgeAge = knowledgeAge;
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    /**
     * Returns the passport the call was refused for.
     *
     * @return its jti
     */
    public String passportJti() {
        return passportJti;
    }

    /**
     * Returns how old the client's latest revocation knowledge of the passport was.
     *
     * @return the age, or null when the client never had an answer for it
     */
    public @Nullable Duration knowledgeAge() {
        return knowledgeAge;
    }

    /**
     * Returns the staleness bound that was exceeded.
     *
     * @return the bound
     */
    public Duration bound() {
        return bound;
    }
}
