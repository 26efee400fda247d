package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static run.getstack.sdk.audit.AuditTestSupport.INGEST;
import static run.getstack.sdk.audit.AuditTestSupport.chainIncidents;
import static run.getstack.sdk.audit.AuditTestSupport.client;
import static run.getstack.sdk.audit.AuditTestSupport.clientChainAtFake;
import static run.getstack.sdk.audit.AuditTestSupport.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * 100,000 events through 30 % injected failures (503, a disconnect before the response, a disconnect during the
 * response after the fake has taken the events) and an outage in the middle: every event exactly once at the fake,
 * in order, both chains verifying.
 */
class AuditUnderFaultsTest {
    static final int EVENTS = 100_000;

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(TestClock.create()));

    @TempDir
    Path dir;

    /**
     * Registers one single-use rule per ingest request, in order (the fake applies the first active match): about
     * 30 % failures chosen by a seeded random, a run of 40 consecutive failures as the outage, the rest pass-through
     * (a zero delay). Requests after the list pass.
     */
    static List<FaultRule> schedule(FakeControlPlane fake, int requests) {
        Random random = new Random(19);
        List<FaultRule> failures = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            FaultRule r = fake.faults().on("POST", INGEST).times(1);
            boolean outage = i >= requests / 2 && i < requests / 2 + 40;
            if (outage || random.nextDouble() < 0.30) {
                switch (outage ? i % 3 : random.nextInt(3)) {
                    case 0 -> r.respondWith(503);
                    case 1 -> r.disconnectBeforeResponse();
                    default -> r.disconnectDuringResponseBody();
                }
                failures.add(r);
            } else {
                r.delay(Duration.ZERO);
            }
        }
        return failures;
    }

    @Test
    void everyEventArrivesExactlyOnceInOrderThroughFailuresAndAnOutage(FakeControlPlane fake) {
        String agent = fake.seed().agent("busy", "standard");
        List<FaultRule> failures = schedule(fake, 400);
        AuditConfig cfg = config(dir).batchDelay(Duration.ofMillis(20)).build();
        AuditStats stats;
        try (StackClient stack = client(fake, agent, cfg).build()) {
            AuditWriter audit = stack.audit();
            for (int i = 1; i <= EVENTS; i++) {
                audit.record(AuditEvent.action("tool.call").detail("i", i));
            }
            AuditFlushResult r = audit.flush(Duration.ofSeconds(60));
            for (int i = 0; i < 500 && !r.isComplete(); i++) {
                r = audit.flush(Duration.ofSeconds(60));
            }
            assertThat(r.isComplete()).as(r.toString()).isTrue();
            stats = audit.stats();
        }
        assertThat(stats.recorded()).isEqualTo(EVENTS);
        assertThat(stats.acknowledged()).isEqualTo(EVENTS);
        assertThat(stats.rejected()).isZero();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.sent()).isGreaterThan(EVENTS);
        long applied = failures.stream().filter(f -> f.appliedCount() > 0).count();
        assertThat(applied).as("failures injected").isGreaterThan(80);

        List<ChainedAuditEvent> chain = clientChainAtFake(fake, agent);
        assertThat(chain).hasSize(EVENTS);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
            assertThat(chain.get(i).clientSeq()).isEqualTo(i + 1L);
            ids.add(chain.get(i).eventId());
        }
        assertThat(ids).hasSize(EVENTS);
        assertThat(ClientChainVerifier.verify(chain).valid()).isTrue();
        assertThat(chainIncidents(fake)).isZero();
        assertThat(fake.auditLog().verifyChain().valid()).isTrue();
    }
}
