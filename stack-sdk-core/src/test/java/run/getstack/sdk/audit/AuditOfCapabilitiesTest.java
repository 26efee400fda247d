package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.audit.AuditTestSupport.client;
import static run.getstack.sdk.audit.AuditTestSupport.config;
import static run.getstack.sdk.audit.AuditTestSupport.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.audit.internal.Spool;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * What the client's capabilities publish on its event hook ends up in the agent's audit chain, and against hosted
 * STACK (no ingest endpoint) the writer says nothing is acknowledged and keeps everything.
 */
class AuditOfCapabilitiesTest {
    static final TestClock CLOCK = TestClock.create();
    static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @TempDir
    Path dir;

    /** The actions and passports of every event in the spool, in chain order. */
    List<JsonNode> spooledEvents() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (Spool s = Spool.open(dir, Long.MAX_VALUE, 1 << 20, false)) {
            for (Spool.SpooledEvent e : s.read(1, 10_000, Integer.MAX_VALUE)) {
                out.add(MAPPER.readTree(e.payload()));
            }
        }
        return out;
    }

    @Test
    void leasesLocalRefusalsAndRevocationsAreRecordedUnderThePassportTheyConcern(FakeControlPlane fake)
            throws IOException {
        String agent = fake.seed()
                .newAgent("audited-lease-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String openai = fake.seed().connection("openai", "sk-test-audited-7c1e", "chat");
        fake.seed().grant(agent, openai, "chat");
        String jti;
        try (CapabilityTestSupport.Harness h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent)
                        .audit(config(dir).closeTimeout(Duration.ZERO).build()),
                CLOCK)) {
            StackClient c = h.client;
            Lease lease = c.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(300)));
            jti = lease.passportJti();
            assertThatThrownBy(() -> c.leases().acquire(LeaseRequest.provider("slack")))
                    .isInstanceOf(run.getstack.sdk.StackException.class);
            c.passports().revoke(jti, "test");
            h.scheduler.runDue(); // the remote release after the revocation
            assertThat(h.actions()).contains("lease.acquired", "local.refused", "lease.revoked");
        }
        List<JsonNode> events = spooledEvents();
        List<String> actions =
                events.stream().map(e -> e.path("action").asText()).toList();
        assertThat(actions)
                .as("every event the client published, in order")
                .containsSubsequence("passport.issued", "lease.acquired", "local.refused", "lease.revoked");
        for (JsonNode e : events) {
            String a = e.path("action").asText();
            if (a.startsWith("lease.") || a.equals("local.refused")) {
                assertThat(e.path("passport_jti").asText()).as(a).isEqualTo(jti);
                assertThat(e.path("agent_id").asText()).isEqualTo(agent);
            }
        }
        JsonNode acquired = events.get(actions.indexOf("lease.acquired"));
        assertThat(acquired.path("outcome").asText()).isEqualTo("success");
        assertThat(acquired.toString()).doesNotContain("sk-test-audited-7c1e").doesNotContain("lse_");
        assertThat(events.get(actions.indexOf("local.refused")).path("outcome").asText())
                .isEqualTo("blocked");
    }

    @Test
    void againstHostedStackTheStatsSayNothingIsAcknowledgedAndTheSpoolKeepsTheChain() throws IOException {
        try (FakeControlPlane hosted =
                FakeControlPlane.builder().clock(CLOCK).stackV1Only().start()) {
            String agent = hosted.seed().agent("hosted-agent", "standard");
            try (StackClient stack = client(
                            hosted,
                            agent,
                            config(dir).closeTimeout(Duration.ZERO).build())
                    .clock(CLOCK)
                    .build()) {
                for (int i = 0; i < 5; i++) {
                    stack.audit().record(AuditEvent.action("tool.call").detail("i", i));
                }
                AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));
                assertThat(r.state()).isEqualTo(AuditDeliveryState.NOT_SUPPORTED);
                assertThat(r.acknowledged()).isZero();
                assertThat(r.spooled()).isEqualTo(5);
                assertThat(r.isComplete()).isFalse();
                assertThat(r.isDurable()).isTrue();
                AuditStats s = stack.audit().stats();
                assertThat(s.state()).isEqualTo(AuditDeliveryState.NOT_SUPPORTED);
                assertThat(s.acknowledged()).isZero();
                assertThat(s.unacknowledged()).isEqualTo(5);
                assertThat(s.dropped()).isZero();
                assertThat(s.lastFailure()).contains("404");
                CLOCK.advance(Duration.ofMinutes(3));
                assertThat(s.oldestUnacknowledgedAge()).isZero(); // a snapshot
                assertThat(stack.audit().stats().oldestUnacknowledgedAge())
                        .isGreaterThanOrEqualTo(Duration.ofMinutes(3));
            }
            assertThat(hosted.auditLog().entries()).noneMatch(e -> "agent".equals(e.layer()));
        }
        assertThat(segments(dir)).hasSize(1);
        assertThat(Files.exists(dir.resolve("ACK"))).as("nothing acknowledged").isFalse();
        assertThat(spooledEvents()).hasSize(5);
    }
}
