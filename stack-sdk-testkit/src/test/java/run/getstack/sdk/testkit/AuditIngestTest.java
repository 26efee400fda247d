package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class AuditIngestTest extends FakeHttpTest {
    static final String GENESIS = "0".repeat(64);

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(TestClock.create()));

    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("reporter");
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Builds an event the way a client would, computing the documented client hash independently. */
    Map<String, Object> event(String id, long seq, String prev, String action) throws Exception {
        long ts = 1_767_225_600_000L + seq;
        String preimage = "{\"event_id\":\"" + id + "\",\"timestamp\":" + ts + ",\"agent_id\":\"" + agent
                + "\",\"passport_jti\":null,\"action\":\"" + action + "\",\"outcome\":\"success\",\"client_seq\":"
                + seq + ",\"client_prev_hash\":\"" + prev + "\"}";
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_id", id);
        e.put("timestamp", ts);
        e.put("agent_id", agent);
        e.put("layer", "agent");
        e.put("action", action);
        e.put("outcome", "success");
        e.put("client_seq", seq);
        e.put("client_prev_hash", prev);
        e.put("client_hash", sha256(preimage));
        return e;
    }

    List<Map<String, Object>> chain(int n) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        String prev = GENESIS;
        for (int i = 1; i <= n; i++) {
            Map<String, Object> e = event(UUID.randomUUID().toString(), i, prev, "tool.call");
            out.add(e);
            prev = (String) e.get("client_hash");
        }
        return out;
    }

    JsonNode ingest(Object... events) {
        Http.Reply r = http.post("/v1/audit/events", Map.of("events", List.of(events)));
        return Replies.ok(r, 200);
    }

    @Test
    void acceptsAChainAppendsAgentEntriesAndReportsDuplicates() throws Exception {
        List<Map<String, Object>> c = chain(3);
        JsonNode r = ingest(c.toArray());
        assertThat(r.path("accepted")).hasSize(3);
        assertThat(r.path("rejected")).isEmpty();
        List<AuditEntry> entries = fake.auditLog().withAction("tool.call");
        assertThat(entries).hasSize(3).allSatisfy(e -> assertThat(e.layer()).isEqualTo("agent"));
        assertThat(entries.get(0).payloadHash()).isEqualTo(c.get(0).get("client_hash"));
        assertThat(entries.get(0).clientJson()).contains("\"client_seq\":1");
        StackAssertions.assertThat(fake.auditLog()).hasValidChain();
        JsonNode again = ingest(c.get(2));
        assertThat(again.path("duplicates").get(0).asText()).isEqualTo(c.get(2).get("event_id"));
    }

    @Test
    void rejectsHashMismatchBrokenChainAndReplay() throws Exception {
        List<Map<String, Object>> c = chain(3);
        ingest(c.get(0), c.get(1));
        Map<String, Object> bad = new LinkedHashMap<>(c.get(2));
        bad.put("action", "tool.other");
        assertThat(ingest(bad).path("rejected").get(0).path("code").asText()).isEqualTo("CHAIN_HASH_MISMATCH");
        Map<String, Object> broken = event(UUID.randomUUID().toString(), 3, GENESIS.replace('0', 'a'), "tool.call");
        assertThat(ingest(broken).path("rejected").get(0).path("code").asText()).isEqualTo("CHAIN_BROKEN");
        Map<String, Object> replay =
                event(UUID.randomUUID().toString(), 2, (String) c.get(0).get("client_hash"), "x.y");
        assertThat(ingest(replay).path("rejected").get(0).path("code").asText()).isEqualTo("CHAIN_SEQ_REPLAY");
        Map<String, Object> conflict = new LinkedHashMap<>(c.get(1));
        conflict.put("timestamp", 5L);
        assertThat(ingest(conflict).path("rejected").get(0).path("code").asText())
                .isEqualTo("CONFLICT");
    }

    @Test
    void aGapIsAcceptedAndRecorded() throws Exception {
        List<Map<String, Object>> c = chain(4);
        ingest(c.get(0));
        JsonNode r = ingest(c.get(3));
        assertThat(r.path("accepted")).hasSize(1);
        StackAssertions.assertThat(fake.auditLog()).hasEntry("client_chain.gap", "failure");
    }

    @Test
    void requestLevelValidation() throws Exception {
        Replies.assertError(
                http.post("/v1/audit/events", Map.of("events", List.of())), 400, "INVALID_REQUEST", "events");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            many.add(Map.of());
        }
        Replies.assertError(http.post("/v1/audit/events", Map.of("events", many)), 413, "PAYLOAD_TOO_LARGE");
        Map<String, Object> e = event(UUID.randomUUID().toString(), 1, GENESIS, "Bad Action");
        assertThat(ingest(e).path("rejected").get(0).path("code").asText()).isEqualTo("INVALID_REQUEST");
        Map<String, Object> layer = event(UUID.randomUUID().toString(), 1, GENESIS, "tool.call");
        layer.put("layer", "vault");
        assertThat(ingest(layer).path("rejected").get(0).path("code").asText()).isEqualTo("INVALID_REQUEST");
        Map<String, Object> big = event(UUID.randomUUID().toString(), 1, GENESIS, "tool.call");
        big.put("detail", Map.of("x", "y".repeat(9000)));
        assertThat(ingest(big).path("rejected").get(0).path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        Map<String, Object> foreign = event(UUID.randomUUID().toString(), 1, GENESIS, "tool.call");
        foreign.put("agent_id", "agt_other");
        assertThat(ingest(foreign).path("rejected").get(0).path("code").asText())
                .isEqualTo("FORBIDDEN");
    }
}
