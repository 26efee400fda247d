package run.getstack.sdk.auditlog;

import org.jspecify.annotations.Nullable;

/**
 * Where an export stopped: the cursor of the page being read ({@code null} for the first page) and the last entry
 * handed out ({@code null} if none of that page yet). Pass it to {@link AuditExportRequest#resumeFrom} to go on
 * from the next entry after a failure or in another process; persist it with {@link #cursor()} and {@link
 * #lastEntryId()}.
 *
 * @param cursor the page's cursor, or null for the first page
 * @param lastEntryId the last entry delivered from that page, or null
 */
public record ExportCheckpoint(
        @Nullable String cursor, @Nullable String lastEntryId) {
    /** The start of an export. */
    public static final ExportCheckpoint START = new ExportCheckpoint(null, null);
}
