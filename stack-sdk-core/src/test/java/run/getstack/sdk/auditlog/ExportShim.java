package run.getstack.sdk.auditlog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okio.Buffer;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * Stands in for {@code GET /v1/audit/export} (wire protocol §8.3), which the fake does not serve yet: it answers
 * from the fake's own audit chain, with the fake's own entry JSON ({@code Engine.auditJson}), so the entries and
 * their hashes are the oracle's. Pages of {@code pageSize} rows, cursor {@code c_<offset>}, {@code from}/{@code to}
 * filters, the three formats, the operator key required. Delete it once the fake serves the route.
 */
final class ExportShim implements AutoCloseable {
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
    private static final ObjectMapper JSON = new ObjectMapper();

    final MockWebServer server = new MockWebServer();
    final AtomicInteger pages = new AtomicInteger();
    volatile long largestBodyBytes;
    private final FakeControlPlane fake;
    private final int pageSize;
    volatile String forcedContentType;
    /** The page (cursor) whose body is cut off once, mid-download. */
    volatile String cutOnce;

    ExportShim(FakeControlPlane fake, int pageSize) throws IOException {
        this.fake = fake;
        this.pageSize = pageSize;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start();
    }

    String baseUrl() {
        return server.url("/").toString();
    }

    private MockResponse answer(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        if (!url.encodedPath().equals("/v1/audit/export")) {
            return error(404, "NOT_FOUND");
        }
        if (!("Bearer " + fake.operatorApiKey()).equals(request.getHeaders().get("Authorization"))) {
            return error(401, "INVALID_API_KEY");
        }
        pages.incrementAndGet();
        String format = url.queryParameter("format") == null ? "json" : url.queryParameter("format");
        String cursor = url.queryParameter("cursor");
        int offset = cursor == null ? 0 : Integer.parseInt(cursor.substring(2));
        Instant from = url.queryParameter("from") == null ? Instant.MIN : Instant.parse(url.queryParameter("from"));
        Instant to = url.queryParameter("to") == null ? Instant.MAX : Instant.parse(url.queryParameter("to"));
        List<AuditEntry> matching = new ArrayList<>();
        for (AuditEntry e : fake.auditLog().entries()) {
            Instant t = Instant.ofEpochMilli(e.timestamp());
            if (!t.isBefore(from) && t.isBefore(to)) {
                matching.add(e);
            }
        }
        List<AuditEntry> page =
                matching.subList(Math.min(offset, matching.size()), Math.min(offset + pageSize, matching.size()));
        String next = offset + pageSize < matching.size() ? "c_" + (offset + pageSize) : null;
        Buffer body = new Buffer();
        MockResponse.Builder b = new MockResponse.Builder().code(200);
        try (OutputStream out = body.outputStream()) {
            switch (format) {
                case "json" -> {
                    JsonGenerator g = JSON.getFactory().createGenerator(out);
                    g.writeStartObject();
                    g.writeArrayFieldStart("entries");
                    for (AuditEntry e : page) {
                        g.writeTree(Engine.auditJson(e));
                    }
                    g.writeEndArray();
                    g.writeStringField("next_cursor", next);
                    g.writeEndObject();
                    g.close();
                    b.setHeader("Content-Type", "application/json; charset=utf-8");
                }
                case "ndjson" -> {
                    for (AuditEntry e : page) {
                        out.write(JSON.writeValueAsBytes(Engine.auditJson(e)));
                        out.write('\n');
                    }
                    b.setHeader("Content-Type", "application/x-ndjson");
                }
                case "csv" -> {
                    CsvSchema.Builder sb = CsvSchema.builder();
                    CSV_COLUMNS.forEach(sb::addColumn);
                    CsvMapper csv = new CsvMapper();
                    try (var w = csv.writer(sb.setUseHeader(true).build()).writeValues(out)) {
                        for (AuditEntry e : page) {
                            List<String> row = new ArrayList<>();
                            var o = Engine.auditJson(e);
                            for (String c : CSV_COLUMNS) {
                                var v = o.get(c);
                                row.add(v == null || v.isNull() ? null : v.asText());
                            }
                            w.write(row);
                        }
                    }
                    b.setHeader("Content-Type", "text/csv; charset=utf-8");
                }
                default -> {
                    return error(400, "INVALID_REQUEST");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (next != null && !format.equals("json")) {
            b.setHeader("X-Next-Cursor", next);
        }
        if (forcedContentType != null) {
            b.setHeader("Content-Type", forcedContentType);
        }
        largestBodyBytes = Math.max(largestBodyBytes, body.size());
        if (cursor != null && cursor.equals(cutOnce)) {
            cutOnce = null;
            b.onResponseBody(new mockwebserver3.SocketEffect.CloseSocket(true, true, true));
        }
        return b.body(body).build();
    }

    private static MockResponse error(int status, String code) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"" + code + "\",\"code\":\"" + code + "\"}}")
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
