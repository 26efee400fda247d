package run.getstack.sdk.auditlog.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import java.io.IOException;
import java.io.OutputStream;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.ExportFormat;
import run.getstack.sdk.internal.http.Json;

/**
 * Internal, not for public use. Writes audit entries one at a time in an export format; {@link #finish()} ends
 * the document and flushes, without closing the stream.
 */
public abstract class EntryWriter {
    private EntryWriter() {}

    /**
     * Starts writing.
     *
     * @param out the stream (left open)
     * @param format the format
     * @return the writer
     * @throws IOException if writing fails
     */
    public static EntryWriter open(OutputStream out, ExportFormat format) throws IOException {
        return switch (format) {
            case JSON -> new JsonWriter(out);
            case NDJSON -> new NdjsonWriter(out);
            case CSV -> new CsvWriter(out);
        };
    }

    /**
     * Writes one entry.
     *
     * @param e the entry
     * @throws IOException if writing fails
     */
    public abstract void write(AuditEntry e) throws IOException;

    /**
     * Ends the document and flushes.
     *
     * @throws IOException if writing fails
     */
    public abstract void finish() throws IOException;

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = Json.mapper().getFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    private static final class JsonWriter extends EntryWriter {
        private final JsonGenerator g;

        JsonWriter(OutputStream out) throws IOException {
            this.g = generator(out);
            g.writeStartObject();
            g.writeArrayFieldStart("entries");
        }

        @Override
        public void write(AuditEntry e) throws IOException {
            EntryCodec.write(g, e);
        }

        @Override
        public void finish() throws IOException {
            g.writeEndArray();
            g.writeNullField("next_cursor");
            g.writeEndObject();
            g.close();
        }
    }

    private static final class NdjsonWriter extends EntryWriter {
        private final OutputStream out;
        private final JsonGenerator g;

        NdjsonWriter(OutputStream out) throws IOException {
            this.out = out;
            this.g = generator(out);
        }

        @Override
        public void write(AuditEntry e) throws IOException {
            EntryCodec.write(g, e);
            g.flush();
            out.write('\n');
        }

        @Override
        public void finish() throws IOException {
            g.close();
            out.flush();
        }
    }

    private static final class CsvWriter extends EntryWriter {
        private final SequenceWriter w;

        CsvWriter(OutputStream out) throws IOException {
            JsonGenerator g = EntryCodec.CSV.getFactory().createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            this.w = EntryCodec.CSV.writer(EntryCodec.csvSchema()).writeValues(g);
        }

        @Override
        public void write(AuditEntry e) throws IOException {
            w.write(EntryCodec.csvRow(e));
        }

        @Override
        public void finish() throws IOException {
            w.close();
        }
    }
}
