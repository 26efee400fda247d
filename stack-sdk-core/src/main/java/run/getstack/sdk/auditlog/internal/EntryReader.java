package run.getstack.sdk.auditlog.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.ExportFormat;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.ResponseShapeException;

/**
 * Internal, not for public use. Reads audit entries one at a time from a stream in one of the export's formats,
 * holding one entry in memory. {@link #next()} returns null at the end. IO failures surface as {@link
 * IOException}, wrong shapes as {@link ResponseShapeException} (or Jackson's {@code JsonProcessingException}, an
 * {@code IOException}, for bad syntax).
 */
public abstract class EntryReader implements Closeable {
    private EntryReader() {}

    /**
     * Opens a reader.
     *
     * @param in the stream (closed by {@link #close()})
     * @param format its format
     * @return the reader
     * @throws IOException if the stream cannot be read
     */
    public static EntryReader open(InputStream in, ExportFormat format) throws IOException {
        return switch (format) {
            case JSON -> new JsonReader(Json.mapper().createParser(in));
            case NDJSON ->
                new MappingReader<>(Json.mapper().readerFor(JsonNode.class).readValues(in), true);
            case CSV ->
                new MappingReader<Map<String, @Nullable String>>(
                        EntryCodec.CSV
                                .readerFor(Map.class)
                                .with(EntryCodec.schemaWithHeader())
                                .readValues(in),
                        false);
        };
    }

    /**
     * Reads the next entry.
     *
     * @return the entry, or null at the end
     * @throws IOException if reading fails or the syntax is bad
     */
    public abstract @Nullable AuditEntry next() throws IOException;

    /**
     * Returns the {@code next_cursor} found in a JSON body (valid once {@link #next()} returned null).
     *
     * @return the cursor, or null (always null for NDJSON and CSV: theirs is a header)
     */
    public @Nullable String bodyCursor() {
        return null;
    }

    private static final class MappingReader<T> extends EntryReader {
        private final MappingIterator<T> it;
        private final boolean json;

        MappingReader(MappingIterator<T> it, boolean json) {
            this.it = it;
            this.json = json;
        }

        @Override
        @SuppressWarnings("unchecked")
        public @Nullable AuditEntry next() throws IOException {
            if (!it.hasNextValue()) {
                return null;
            }
            T v = it.nextValue();
            return json ? EntryCodec.fromJson((JsonNode) v) : EntryCodec.fromCsv((Map<String, @Nullable String>) v);
        }

        @Override
        public void close() throws IOException {
            it.close();
        }
    }

    /** {@code {"entries":[...], "next_cursor": ...}} in any member order, streamed. */
    private static final class JsonReader extends EntryReader {
        /** Reads one element in place: the shared mapper refuses trailing tokens, which here are the next ones. */
        private static final ObjectReader NESTED =
                Json.mapper().readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

        private final JsonParser p;
        private boolean started;
        private boolean inEntries;
        private boolean done;
        private @Nullable String cursor;

        JsonReader(JsonParser p) {
            this.p = p;
        }

        @Override
        public @Nullable AuditEntry next() throws IOException {
            if (!started) {
                started = true;
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new ResponseShapeException("export body is not a JSON object");
                }
            }
            while (!done) {
                if (inEntries) {
                    JsonToken t = p.nextToken();
                    if (t == JsonToken.START_OBJECT) {
                        JsonNode node = NESTED.readValue(p);
                        return EntryCodec.fromJson(node);
                    }
                    if (t == JsonToken.END_ARRAY) {
                        inEntries = false;
                        continue;
                    }
                    throw new ResponseShapeException("field 'entries' has a non-object element");
                }
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_OBJECT || t == null) {
                    done = true;
                    break;
                }
                if (t != JsonToken.FIELD_NAME) {
                    throw new ResponseShapeException("export body is not a JSON object");
                }
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("entries".equals(name)) {
                    if (v != JsonToken.START_ARRAY) {
                        throw new ResponseShapeException("field 'entries' is not an array");
                    }
                    inEntries = true;
                } else if ("next_cursor".equals(name)) {
                    if (v == JsonToken.VALUE_STRING) {
                        cursor = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new ResponseShapeException("field 'next_cursor' is not a string");
                    }
                } else {
                    p.skipChildren();
                }
            }
            return null;
        }

        @Override
        public @Nullable String bodyCursor() {
            return cursor;
        }

        @Override
        public void close() throws IOException {
            p.close();
        }
    }
}
