package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class AuditLogTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @BeforeEach
    void seed(FakeControlPlane fake) {
        String agent = fake.seed().agent("audited", "standard");
        fake.seed().passport(agent, "s");
        fake.seed().agent("second");
        fake.seed().agent("third");
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String q(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    @Test
    void entryHashesFollowStacksDocumentedPreimageAndChainFromGenesis() throws Exception {
        List<AuditEntry> entries = fake.auditLog().entries();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(4);
        String prev = "0".repeat(64);
        for (AuditEntry e : entries) {
            String preimage = "{\"entry_id\":" + q(e.entryId()) + ",\"timestamp\":" + e.timestamp()
                    + ",\"operator_id\":" + q(e.operatorId()) + ",\"agent_id\":" + q(e.agentId())
                    + ",\"layer\":" + q(e.layer()) + ",\"action\":" + q(e.action()) + ",\"outcome\":"
                    + q(e.outcome()) + ",\"prev_entry_hash\":" + q(e.prevEntryHash()) + "}";
            assertThat(e.prevEntryHash()).isEqualTo(prev);
            assertThat(e.entryHash()).isEqualTo(sha256(preimage)).matches("[0-9a-f]{64}");
            prev = e.entryHash();
        }
        StackAssertions.assertThat(fake.auditLog().verifyChain()).isValid();
        StackAssertions.assertThat(fake.auditLog()).hasValidChain();
    }

    @Test
    void editingAnEntryIsDetectedAtThatEntry() {
        AuditEntry victim = fake.auditLog().entries().get(1);
        fake.auditLog().tamperForTest().editAction(1, "agent.innocent");
        ChainVerification v = fake.auditLog().verifyChain();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEntryId()).isEqualTo(victim.entryId());
        assertThat(v.reason()).isEqualTo("hash_mismatch");
        assertThat(v.checked()).isEqualTo(2);
        StackAssertions.assertThat(v).isBrokenAt(victim.entryId());
    }

    @Test
    void editingTheOutcomeIsDetected() {
        fake.auditLog().tamperForTest().editOutcome(0, "failure");
        assertThat(fake.auditLog().verifyChain().firstBadEntryId())
                .isEqualTo(fake.auditLog().entries().get(0).entryId());
    }

    @Test
    void removingAnEntryIsDetectedAtItsSuccessor() {
        List<AuditEntry> before = fake.auditLog().entries();
        fake.auditLog().tamperForTest().remove(1);
        ChainVerification v = fake.auditLog().verifyChain();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEntryId()).isEqualTo(before.get(2).entryId());
        assertThat(v.reason()).isEqualTo("prev_hash_mismatch");
    }

    @Test
    void reorderingEntriesIsDetected() {
        List<AuditEntry> before = fake.auditLog().entries();
        fake.auditLog().tamperForTest().swap(1, 2);
        ChainVerification v = fake.auditLog().verifyChain();
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEntryId()).isEqualTo(before.get(2).entryId());
    }

    @Test
    void verifyChainEndpointReportsTheFirstBadEntry() {
        assertThat(http.get("/v1/audit/verify-chain").json().path("valid").asBoolean())
                .isTrue();
        AuditEntry victim = fake.auditLog().entries().get(0);
        fake.auditLog().tamperForTest().editAction(0, "x.y");
        JsonNode r = http.get("/v1/audit/verify-chain").json();
        assertThat(r.path("valid").asBoolean()).isFalse();
        assertThat(r.path("first_bad_entry_id").asText()).isEqualTo(victim.entryId());
        assertThat(r.path("reason").asText()).isEqualTo("hash_mismatch");
    }

    @Test
    void queryIsNewestFirstWithFiltersAndValidation() {
        JsonNode r = http.get("/v1/audit?limit=2").json();
        assertThat(r.path("entries")).hasSize(2);
        List<AuditEntry> all = fake.auditLog().entries();
        assertThat(r.path("entries").get(0).path("entry_id").asText())
                .isEqualTo(all.get(all.size() - 1).entryId());
        assertThat(r.path("entries").get(0).path("entry_hash").asText()).hasSize(64);
        assertThat(r.path("max_timestamp").asLong())
                .isEqualTo(all.get(all.size() - 1).timestamp());
        Replies.assertError(http.get("/v1/audit?limit=101"), 400, "INVALID_REQUEST", "limit");
        Replies.assertError(http.get("/v1/audit?limit=abc"), 400, "INVALID_REQUEST", "limit");
        String jti = fake.auditLog().withAction("passport.issue").get(0).passportJti();
        JsonNode byJti = http.get("/v1/audit?passport_jti=" + jti).json().path("entries");
        assertThat(byJti)
                .allSatisfy(e -> assertThat(e.path("passport_jti").asText()).isEqualTo(jti));
        long max = r.path("max_timestamp").asLong();
        assertThat(http.get("/v1/audit?since=" + max).json().path("entries")).isEmpty();
    }

    @Test
    void requestIdIsWrittenAsTraceId() {
        http.header("X-Request-Id", "trace-me-1").post("/v1/agents/register", Map.of("name", "traced"));
        assertThat(fake.auditLog().withAction("agent.register").get(3).traceId())
                .isEqualTo("trace-me-1");
    }

    @Test
    void tamperHandleRejectsOutOfRangeIndexes() {
        assertThatThrownBy(() -> fake.auditLog().tamperForTest().remove(999))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
