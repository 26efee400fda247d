package run.getstack.sdk.auditlog.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditExport;
import run.getstack.sdk.auditlog.AuditExportRequest;
import run.getstack.sdk.auditlog.ExportCheckpoint;
import run.getstack.sdk.auditlog.ExportFormat;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.StreamedResponse;
import run.getstack.sdk.internal.http.Transport;

/**
 * Internal, not for public use. Streams {@code GET /v1/audit/export} page after page: one open response and one
 * entry in memory at a time. Resuming from a checkpoint re-reads the checkpoint's page and skips to the entry after
 * its last one.
 */
final class ExportReader implements AuditExport {
    private static final int MAX_CURSOR_LENGTH = 1024;

    private final Transport transport;
    private final AuditExportRequest request;
    private @Nullable String pageCursor;
    private @Nullable String lastEntryId;
    private @Nullable String skipThrough;
    private @Nullable StreamedResponse response;
    private @Nullable EntryReader reader;
    private @Nullable AuditEntry pending;
    private boolean finished;
    private boolean closed;

    ExportReader(Transport transport, AuditExportRequest request) {
        this.transport = transport;
        this.request = request;
        this.pageCursor = request.resumeFrom().cursor();
        this.lastEntryId = request.resumeFrom().lastEntryId();
        this.skipThrough = lastEntryId;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("the export was closed");
        }
        while (pending == null && !finished) {
            EntryReader r = reader;
            StreamedResponse open = response;
            if (r == null || open == null) {
                openPage();
                continue;
            }
            AuditEntry e;
            try {
                e = r.next();
            } catch (JsonProcessingException ex) {
                throw failed(open.malformed("export page is not valid "
                        + request.format().wireValue() + " (" + ex.getClass().getSimpleName() + locate(ex) + ")"));
            } catch (IOException ex) {
                throw failed(open.readFailure(ex));
            } catch (ResponseShapeException ex) {
                throw failed(open.malformed("unexpected export shape: " + ex.getMessage()));
            }
            if (e == null) {
                endPage(r, open);
                continue;
            }
            String skip = skipThrough;
            if (skip != null) {
                if (skip.equals(e.entryId())) {
                    skipThrough = null;
                }
                continue;
            }
            pending = e;
        }
        return pending != null;
    }

    @Override
    public AuditEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        AuditEntry e = Objects.requireNonNull(pending);
        pending = null;
        lastEntryId = e.entryId();
        return e;
    }

    private void openPage() {
        ApiRequest.Builder b = ApiRequest.get("/v1/audit/export")
                .query("format", request.format().wireValue())
                .query("cursor", pageCursor);
        if (request.from() != null) {
            b.query("from", String.valueOf(request.from()));
        }
        if (request.to() != null) {
            b.query("to", String.valueOf(request.to()));
        }
        StreamedResponse open = transport.open(b.build());
        String media = open.mediaType();
        Set<String> expected = switch (request.format()) {
            case JSON -> Set.of("application/json");
            case NDJSON -> Set.of("application/x-ndjson", "application/ndjson", "application/jsonl");
            case CSV -> Set.of("text/csv");
        };
        if (!expected.contains(media)) {
            open.close();
            throw open.malformed("export page has Content-Type '" + media.substring(0, Math.min(60, media.length()))
                    + "', expected one of " + expected);
        }
        try {
            reader = EntryReader.open(open.body(), request.format());
        } catch (IOException e) {
            open.close();
            throw open.readFailure(e);
        }
        response = open;
    }

    private void endPage(EntryReader r, StreamedResponse open) {
        String next = request.format() == ExportFormat.JSON ? r.bodyCursor() : open.header("X-Next-Cursor");
        closePage();
        if (skipThrough != null) {
            throw failed(open.malformed("the checkpoint's entry is not on the checkpoint's page; start a new export"));
        }
        if (next == null || next.isEmpty()) {
            finished = true;
            return;
        }
        if (next.length() > MAX_CURSOR_LENGTH || next.equals(pageCursor)) {
            throw failed(open.malformed("export page has an invalid next cursor"));
        }
        pageCursor = next;
        lastEntryId = null;
    }

    private StackException failed(StackException e) {
        closePage();
        return e;
    }

    private static String locate(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation loc = e.getLocation();
        return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    @Override
    public ExportCheckpoint checkpoint() {
        return new ExportCheckpoint(pageCursor, lastEntryId);
    }

    @Override
    public long writeTo(OutputStream out, ExportFormat format) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        long n = 0;
        try {
            EntryWriter w = EntryWriter.open(out, format);
            while (hasNext()) {
                w.write(next());
                n++;
            }
            w.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the audit export failed after " + n + " entries", e);
        }
        return n;
    }

    private void closePage() {
        EntryReader r = reader;
        reader = null;
        if (r != null) {
            try {
                r.close();
            } catch (IOException ignored) {
                // the response is closed below either way
            }
        }
        StreamedResponse open = response;
        response = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        closePage();
    }

    @Override
    public String toString() {
        return "AuditExport{" + request.format() + ", checkpoint=" + checkpoint() + '}';
    }
}
