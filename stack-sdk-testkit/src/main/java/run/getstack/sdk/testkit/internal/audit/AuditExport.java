package run.getstack.sdk.testkit.internal.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.route.Call;

/**
 * Internal, not for public use. {@code GET /v1/audit/export} (wire protocol §8.3): the operator's chain oldest first,
 * filtered by {@code from} (inclusive) and {@code to} (exclusive), in pages of at most {@link #MAX_PAGE} rows (fewer
 * when a test sets {@code AuditLog.exportPageSize}), as JSON, NDJSON or CSV. The cursor is {@code c_<offset>} into the
 * filtered rows; anything else is 400.
 */
final class AuditExport {
    /** STACK's per-response maximum. */
    static final int MAX_PAGE = 50_000;

    /** The CSV columns: the scalar fields of §8.1 in table order. */
    static final List<String> CSV_COLUMNS = List.of(
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

    private static final Pattern CURSOR = Pattern.compile("c_(0|[1-9][0-9]{0,9})");
    private static final CsvMapper CSV = new CsvMapper();
    private static final CsvSchema CSV_SCHEMA;

    static {
        CsvSchema.Builder b = CsvSchema.builder();
        CSV_COLUMNS.forEach(b::addColumn);
        CSV_SCHEMA = b.setUseHeader(true).build();
    }

    private AuditExport() {}

    static EngineResponse export(List<AuditEntry> chain, int pageSize, Call call) {
        Map<String, String> q = call.query();
        String format = q.getOrDefault("format", "json");
        if (!format.equals("json") && !format.equals("ndjson") && !format.equals("csv")) {
            throw ApiError.invalid("format", "must be json, ndjson or csv");
        }
        Instant from = instant(q, "from");
        Instant to = instant(q, "to");
        if (from != null && to != null && !to.isAfter(from)) {
            throw ApiError.invalid("to", "must be after from");
        }
        int offset = offset(q.get("cursor"));
        List<AuditEntry> matching = new ArrayList<>();
        for (AuditEntry e : chain) {
            Instant t = Instant.ofEpochMilli(e.timestamp());
            if ((from == null || !t.isBefore(from)) && (to == null || t.isBefore(to))) {
                matching.add(e);
            }
        }
        if (offset > matching.size()) {
            throw ApiError.invalid("cursor", "is past the end of the export");
        }
        int end = (int) Math.min((long) offset + pageSize, matching.size());
        List<AuditEntry> page = matching.subList(offset, end);
        String next = end < matching.size() ? "c_" + end : null;
        Map<String, String> headers = new LinkedHashMap<>();
        String body;
        try {
            switch (format) {
                case "ndjson" -> {
                    StringBuilder sb = new StringBuilder();
                    for (AuditEntry e : page) {
                        sb.append(Json.write(AuditService.auditJson(e))).append('\n');
                    }
                    body = sb.toString();
                    headers.put("Content-Type", "application/x-ndjson");
                }
                case "csv" -> {
                    body = csv(page);
                    headers.put("Content-Type", "text/csv; charset=utf-8");
                }
                default -> {
                    body = json(page, next);
                    headers.put("Content-Type", "application/json; charset=utf-8");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (next != null && !format.equals("json")) {
            headers.put("X-Next-Cursor", next);
        }
        return new EngineResponse(200, body, headers);
    }

    private static String json(List<AuditEntry> page, @Nullable String next) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("entries");
            for (AuditEntry e : page) {
                g.writeTree(AuditService.auditJson(e));
            }
            g.writeEndArray();
            g.writeStringField("next_cursor", next);
            g.writeEndObject();
        }
        return w.toString();
    }

    private static String csv(List<AuditEntry> page) throws IOException {
        if (page.isEmpty()) {
            return String.join(",", CSV_COLUMNS) + "\n"; // the header alone (plain names, nothing to quote)
        }
        StringWriter w = new StringWriter();
        try (SequenceWriter rows = CSV.writer(CSV_SCHEMA).writeValues(w)) {
            List<@Nullable String> row = new ArrayList<>(CSV_COLUMNS.size());
            for (AuditEntry e : page) {
                ObjectNode o = AuditService.auditJson(e);
                row.clear();
                for (String c : CSV_COLUMNS) {
                    JsonNode v = o.get(c);
                    row.add(v == null || v.isNull() ? null : v.asText());
                }
                rows.write(row);
            }
        }
        return w.toString();
    }

    private static @Nullable Instant instant(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ApiError.invalid(name, "must be an ISO-8601 instant");
        }
    }

    private static int offset(@Nullable String cursor) {
        if (cursor == null) {
            return 0;
        }
        if (!CURSOR.matcher(cursor).matches()) {
            throw ApiError.invalid("cursor", "is not a cursor of this export");
        }
        long l = Long.parseLong(cursor.substring(2));
        if (l > Integer.MAX_VALUE) {
            throw ApiError.invalid("cursor", "is not a cursor of this export");
        }
        return (int) l;
    }
}
