package run.getstack.sdk.auditlog;

import java.io.OutputStream;
import java.util.Iterator;

/**
 * An audit export being read: an iterator over the entries, oldest first, that downloads page after page as it
 * is consumed and holds one entry at a time, so memory stays bounded however long the chain is. Not thread-safe;
 * {@link #close()} it (try-with-resources) to release the connection. A failure while reading ends the iteration
 * with a {@link run.getstack.sdk.StackException}; {@link #checkpoint()} then says where to resume.
 */
public interface AuditExport extends Iterator<AuditEntry>, AutoCloseable {
    /**
     * Returns where the export stands: resuming from it goes on with the entry after the last one handed out.
     *
     * @return the checkpoint
     */
    ExportCheckpoint checkpoint();

    /**
     * Writes the remaining entries to a stream in a format, as they are read (bounded memory). Does not close the
     * stream.
     *
     * @param out where to write
     * @param format the file format ({@link ExportFormat#JSON} writes one object with all entries and a null
     *     {@code next_cursor})
     * @return how many entries were written
     * @throws java.io.UncheckedIOException if writing fails
     */
    long writeTo(OutputStream out, ExportFormat format);

    /** Releases the connection. Idempotent. */
    @Override
    void close();
}
