package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code GET /v1/audit/export} (wire protocol §8.3): pages, formats, range, cursor, errors. */
class AuditExportRouteTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @BeforeEach
    void seed(FakeControlPlane fake) {
        for (int i = 0; i < 5; i++) {
            fake.seed().agent("exported-" + i);
            CLOCK.advance(Duration.ofSeconds(1));
        }
    }

    private List<String> ids() {
        return fake.auditLog().entries().stream().map(AuditEntry::entryId).toList();
    }

    @Test
    void jsonPagesFollowNextCursorOldestFirstAndCarryTheEntryFields() {
        fake.auditLog().exportPageSize(2);
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Reply r = http.get("/v1/audit/export" + (cursor == null ? "" : "?cursor=" + cursor));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("application/json");
            JsonNode body = r.json();
            assertThat(body.path("entries").size()).isLessThanOrEqualTo(2);
            body.path("entries").forEach(e -> seen.add(e.path("entry_id").asText()));
            cursor = body.path("next_cursor").isNull()
                    ? null
                    : body.path("next_cursor").asText();
            assertThat(r.header("X-Next-Cursor")).isNull();
            pages++;
        } while (cursor != null);
        assertThat(seen).containsExactlyElementsOf(ids());
        assertThat(pages).isEqualTo((ids().size() + 1) / 2);
        JsonNode first = http.get("/v1/audit/export").json().path("entries").get(0);
        AuditEntry e = fake.auditLog().entries().get(0);
        assertThat(first.path("entry_hash").asText()).isEqualTo(e.entryHash());
        assertThat(first.path("prev_entry_hash").asText()).isEqualTo(GENESIS);
        assertThat(first.path("timestamp").asLong()).isEqualTo(e.timestamp());
    }

    static final String GENESIS = "0".repeat(64);

    @Test
    void ndjsonAndCsvPutTheNextCursorInAHeaderAndEndWithoutOne() throws Exception {
        fake.auditLog().exportPageSize(3);
        Http.Reply nd = http.get("/v1/audit/export?format=ndjson");
        assertThat(nd.header("Content-Type")).startsWith("application/x-ndjson");
        String[] lines = nd.text().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(nd.header("X-Next-Cursor")).isEqualTo("c_3");
        assertThat(Http.MAPPER.readTree(lines[0]).path("entry_id").asText()).isEqualTo(ids().get(0));

        Http.Reply csv = http.get("/v1/audit/export?format=csv&cursor=c_3");
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        String[] rows = csv.text().split("\n");
        assertThat(rows[0])
                .isEqualTo("entry_id,timestamp,trace_id,span_id,parent_span_id,operator_id,agent_id,passport_jti,"
                        + "layer,action,outcome,duration_ms,payload_hash,error_code,error_message,prev_entry_hash,"
                        + "entry_hash");
        assertThat(rows[1].replace("\"", "")).startsWith(ids().get(3) + ",");
        assertThat(csv.header("X-Next-Cursor")).isNull();
        assertThat(rows).hasSize(1 + ids().size() - 3);

        Http.Reply empty = http.get("/v1/audit/export?format=csv&from=2100-01-01T00:00:00Z");
        assertThat(empty.text().split("\n")).hasSize(1);
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        List<AuditEntry> all = fake.auditLog().entries();
        Instant from = Instant.ofEpochMilli(all.get(1).timestamp());
        Instant to = Instant.ofEpochMilli(all.get(3).timestamp());
        JsonNode r = http.get("/v1/audit/export?from=" + from + "&to=" + to).json();
        List<String> got = new ArrayList<>();
        r.path("entries").forEach(e -> got.add(e.path("entry_id").asText()));
        List<String> want = all.stream()
                .filter(e -> e.timestamp() >= from.toEpochMilli() && e.timestamp() < to.toEpochMilli())
                .map(AuditEntry::entryId)
                .toList();
        assertThat(want).isNotEmpty();
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(r.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        Replies.assertError(http.get("/v1/audit/export?format=xml"), 400, "INVALID_REQUEST", "format");
        Replies.assertError(http.get("/v1/audit/export?from=yesterday"), 400, "INVALID_REQUEST", "from");
        Replies.assertError(
                http.get("/v1/audit/export?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
                400,
                "INVALID_REQUEST",
                "to");
        Replies.assertError(http.get("/v1/audit/export?cursor=zzz"), 400, "INVALID_REQUEST", "cursor");
        Replies.assertError(http.get("/v1/audit/export?cursor=c_99999"), 400, "INVALID_REQUEST", "cursor");
        assertThat(http.key("sk_live_wrong_key_123").get("/v1/audit/export").status())
                .isEqualTo(401);
        assertThatThrownBy(() -> fake.auditLog().exportPageSize(50_001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exportPageSize");
    }

    @Test
    void theRouteIsStackV1() {
        assertThat(fake.routes()).contains(new FakeRoute("GET", "/v1/audit/export", RouteOrigin.STACK_V1));
    }
}
