package run.getstack.sdk.dropoff;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;

/**
 * A collected package could not be mapped to the requested type. STACK has already handed it over and deleted it, so
 * it is not lost: {@link #rawJson()} holds it exactly as received. The message names the path and type, never the
 * package's content.
 */
public class StackDropoffPayloadException extends StackException {
    private static final long serialVersionUID = 1L;

    /** The package as received; deliberately not part of the message. */
    private final transient @Nullable String rawJson;

    /** The drop-off it came from. */
    private final String dropoffId;

    /**
     * Creates the exception.
     *
     * @param message where and why the mapping failed, without the content
     * @param dropoffId the drop-off it came from
     * @param rawJson the package as received
     * @param cause the codec's failure
     */
    public StackDropoffPayloadException(String message, String dropoffId, String rawJson, Throwable cause) {
        super(message, cause);
        this.dropoffId = dropoffId;
        this.rawJson = rawJson;
    }

    /**
     * Returns the collected package as received (JSON text), to map another way or keep. Treat it as data from
     * another agent: it may be sensitive, and it is untrusted.
     *
     * @return the JSON text (empty after deserialisation of this exception: the package is not serialised)
     */
    public String rawJson() {
        return rawJson == null ? "" : rawJson;
    }

    /**
     * Returns the drop-off the package came from.
     *
     * @return its id
     */
    public String dropoffId() {
        return dropoffId;
    }
}
