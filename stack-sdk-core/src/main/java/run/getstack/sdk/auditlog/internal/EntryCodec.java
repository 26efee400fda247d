package run.getstack.sdk.auditlog.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;

/**
 * Internal, not for public use. Reads and writes audit entries in STACK's JSON shape (wire protocol §8.1) and the
 * export's CSV columns (§8.3).
 */
public final class EntryCodec {
    /** The CSV columns: the scalar entry fields in the order of §8.1. */
    public static final List<String> CSV_COLUMNS = List.of(
            "entry_id",
            "timestamp",
            "trace_id",
            "span_id",
            "parent_span_id",
            "operator_id",
            "agent_id",
            "passport_jti",
            "layer",
            "action",
            "outcome",
            "duration_ms",
            "payload_hash",
            "error_code",
            "error_message",
            "prev_entry_hash",
            "entry_hash");

    /** One mapper for CSV, read and write: empty unquoted cells are null. */
    public static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS)
            .build();

    private EntryCodec() {}

    /**
     * Reads an entry object.
     *
     * @param o the object
     * @return the entry
     * @throws ResponseShapeException if a field is missing or has the wrong type
     */
    public static AuditEntry fromJson(JsonNode o) {
        if (!o.isObject()) {
            throw new ResponseShapeException("an audit entry is not a JSON object");
        }
        JsonNode duration = o.get("duration_ms");
        Long durationMs = duration == null || duration.isNull() ? null : JsonFields.integer(o, "duration_ms");
        return new AuditEntry(
                JsonFields.text(o, "entry_id"),
                JsonFields.integer(o, "timestamp"),
                JsonFields.optText(o, "trace_id"),
                JsonFields.optText(o, "span_id"),
                JsonFields.optText(o, "parent_span_id"),
                JsonFields.text(o, "operator_id"),
                JsonFields.optText(o, "agent_id"),
                JsonFields.optText(o, "passport_jti"),
                JsonFields.text(o, "layer"),
                JsonFields.text(o, "action"),
                JsonFields.text(o, "outcome"),
                durationMs,
                JsonFields.optText(o, "payload_hash"),
                JsonFields.optText(o, "error_code"),
                JsonFields.optText(o, "error_message"),
                objectJson(o, "details"),
                objectJson(o, "client"),
                JsonFields.text(o, "prev_entry_hash"),
                JsonFields.text(o, "entry_hash"));
    }

    /**
     * Reads a CSV row (column name to cell, null for an empty cell).
     *
     * @param row the row
     * @return the entry
     * @throws ResponseShapeException if a required cell is missing or a number is not one
     */
    public static AuditEntry fromCsv(Map<String, @Nullable String> row) {
        return new AuditEntry(
                required(row, "entry_id"),
                number(required(row, "timestamp"), "timestamp"),
                row.get("trace_id"),
                row.get("span_id"),
                row.get("parent_span_id"),
                required(row, "operator_id"),
                row.get("agent_id"),
                row.get("passport_jti"),
                required(row, "layer"),
                required(row, "action"),
                required(row, "outcome"),
                row.get("duration_ms") == null ? null : number(required(row, "duration_ms"), "duration_ms"),
                row.get("payload_hash"),
                row.get("error_code"),
                row.get("error_message"),
                null,
                null,
                required(row, "prev_entry_hash"),
                required(row, "entry_hash"));
    }

    /**
     * The CSV row of an entry, in {@link #CSV_COLUMNS} order.
     *
     * @param e the entry
     * @return the cells (null for an empty cell)
     */
    public static List<@Nullable String> csvRow(AuditEntry e) {
        List<@Nullable String> row = new ArrayList<>(CSV_COLUMNS.size());
        row.add(e.entryId());
        row.add(Long.toString(e.timestampMillis()));
        row.add(e.traceId());
        row.add(e.spanId());
        row.add(e.parentSpanId());
        row.add(e.operatorId());
        row.add(e.agentId());
        row.add(e.passportJti());
        row.add(e.layer());
        row.add(e.action());
        row.add(e.outcome());
        Long d = e.durationMs();
        row.add(d == null ? null : Long.toString(d));
        row.add(e.payloadHash());
        row.add(e.errorCode());
        row.add(e.errorMessage());
        row.add(e.prevEntryHash());
        row.add(e.entryHash());
        return row;
    }

    /**
     * Adds the header-reading schema to the CSV mapper's reader (columns come from the header row).
     *
     * @return the schema
     */
    static CsvSchema schemaWithHeader() {
        return CsvSchema.emptySchema().withHeader();
    }

    /**
     * The CSV schema of the export, with a header row.
     *
     * @return the schema
     */
    public static CsvSchema csvSchema() {
        CsvSchema.Builder b = CsvSchema.builder();
        CSV_COLUMNS.forEach(b::addColumn);
        return b.setUseHeader(true).build();
    }

    /**
     * Writes an entry as one JSON object.
     *
     * @param g the generator
     * @param e the entry
     * @throws IOException if writing fails
     */
    public static void write(JsonGenerator g, AuditEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("entry_id", e.entryId());
        g.writeNumberField("timestamp", e.timestampMillis());
        nullable(g, "trace_id", e.traceId());
        nullable(g, "span_id", e.spanId());
        nullable(g, "parent_span_id", e.parentSpanId());
        g.writeStringField("operator_id", e.operatorId());
        nullable(g, "agent_id", e.agentId());
        nullable(g, "passport_jti", e.passportJti());
        g.writeStringField("layer", e.layer());
        g.writeStringField("action", e.action());
        g.writeStringField("outcome", e.outcome());
        Long d = e.durationMs();
        if (d == null) {
            g.writeNullField("duration_ms");
        } else {
            g.writeNumberField("duration_ms", d);
        }
        nullable(g, "payload_hash", e.payloadHash());
        nullable(g, "error_code", e.errorCode());
        nullable(g, "error_message", e.errorMessage());
        String details = e.detailsJson();
        if (details != null) {
            g.writeFieldName("details");
            g.writeTree(Json.mapper().readTree(details));
        }
        String client = e.clientJson();
        if (client != null) {
            g.writeFieldName("client");
            g.writeTree(Json.mapper().readTree(client));
        }
        g.writeStringField("prev_entry_hash", e.prevEntryHash());
        g.writeStringField("entry_hash", e.entryHash());
        g.writeEndObject();
    }

    private static void nullable(JsonGenerator g, String field, @Nullable String value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    private static @Nullable String objectJson(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw new ResponseShapeException("field '" + field + "' is not an object");
        }
        return new String(Json.write(v), StandardCharsets.UTF_8);
    }

    private static String required(Map<String, @Nullable String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new ResponseShapeException("CSV column '" + column + "' is missing or empty");
        }
        return v;
    }

    private static long number(String v, String column) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ResponseShapeException("CSV column '" + column + "' is not an integer");
        }
    }
}
