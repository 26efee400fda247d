package run.getstack.sdk.auditlog;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link AuditLog#export(AuditExportRequest)} reads ({@code GET /v1/audit/export}): entries appended in {@code
 * [from, to)}, oldest first, in the wire format asked for (default {@link ExportFormat#NDJSON}, the cheapest to
 * stream), optionally resuming from a checkpoint. Immutable.
 */
public final class AuditExportRequest {
    private final @Nullable Instant from;
    private final @Nullable Instant to;
    private final ExportFormat format;
    private final ExportCheckpoint resumeFrom;

    private AuditExportRequest(
            @Nullable Instant from, @Nullable Instant to, ExportFormat format, ExportCheckpoint resumeFrom) {
        this.from = from;
        this.to = to;
        this.format = format;
        this.resumeFrom = resumeFrom;
    }

    /**
     * The whole chain, as NDJSON.
     *
     * @return the request
     */
    public static AuditExportRequest all() {
        return new AuditExportRequest(null, null, ExportFormat.NDJSON, ExportCheckpoint.START);
    }

    /**
     * Returns a copy limited to a time range.
     *
     * @param from inclusive
     * @param to exclusive, after {@code from}
     * @return the request
     */
    public AuditExportRequest range(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("to: must be after from");
        }
        return new AuditExportRequest(from, to, format, resumeFrom);
    }

    /**
     * Returns a copy asking for another wire format (the entries read are the same).
     *
     * @param format the format
     * @return the request
     */
    public AuditExportRequest format(ExportFormat format) {
        return new AuditExportRequest(from, to, Objects.requireNonNull(format, "format"), resumeFrom);
    }

    /**
     * Returns a copy that goes on after a checkpoint of an earlier export with the same range.
     *
     * @param checkpoint where it stopped
     * @return the request
     */
    public AuditExportRequest resumeFrom(ExportCheckpoint checkpoint) {
        return new AuditExportRequest(from, to, format, Objects.requireNonNull(checkpoint, "checkpoint"));
    }

    /**
     * Returns the inclusive start, or null.
     *
     * @return the start
     */
    public @Nullable Instant from() {
        return from;
    }

    /**
     * Returns the exclusive end, or null.
     *
     * @return the end
     */
    public @Nullable Instant to() {
        return to;
    }

    /**
     * Returns the wire format.
     *
     * @return the format
     */
    public ExportFormat format() {
        return format;
    }

    /**
     * Returns the checkpoint to resume from ({@link ExportCheckpoint#START} for a new export).
     *
     * @return the checkpoint
     */
    public ExportCheckpoint resumeFrom() {
        return resumeFrom;
    }

    @Override
    public String toString() {
        return "AuditExportRequest{from=" + from + ", to=" + to + ", format=" + format + ", resumeFrom=" + resumeFrom
                + '}';
    }
}
