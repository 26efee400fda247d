package run.getstack.sdk.dropoff;

import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackInvalidRequestException;

/**
 * The package does not meet the drop-off's JSON Schema ({@code SCHEMA_VALIDATION_FAILED}); nothing was deposited.
 * {@link #issues()} says where.
 */
public class StackDropoffSchemaException extends StackInvalidRequestException {
    private static final long serialVersionUID = 1L;

    /** Where the package fails its schema. */
    @SuppressWarnings("serial") // an immutable List.copyOf of records
    private final List<SchemaIssue> issues;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the failing paths
     * @param httpStatus the HTTP status (400, or 422 as one STACK page has it)
     * @param errorCode STACK's error code
     * @param requestId the control plane's request id, if known
     * @param issues where the package fails its schema
     */
    public StackDropoffSchemaException(
            String message,
            int httpStatus,
            @Nullable String errorCode,
            @Nullable String requestId,
            List<SchemaIssue> issues) {
        super(message, httpStatus, errorCode, requestId, null, null, null);
        this.issues = List.copyOf(issues);
    }

    /**
     * Returns where the package fails its schema, as the control plane reported it.
     *
     * @return the issues (empty when the server named none)
     */
    public List<SchemaIssue> issues() {
        return issues;
    }

    /**
     * Returns the failing paths, dotted ({@code ""} for the package itself).
     *
     * @return the paths in the server's order
     */
    public List<String> paths() {
        return issues.stream().map(SchemaIssue::path).toList();
    }
}
