package run.getstack.sdk.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.auditLog()}: query, the server's chain check, the tail in both forms, against the fake. */
class AuditLogTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private AuditLog audit;
    private String agent;
    private AuditFixtures rows;
    /** What the blocking tail does while it waits: run the step, then let the clock pass. */
    private final List<Runnable> duringWaits = new ArrayList<>();

    private final Sleeper scripted = d -> {
        if (!duringWaits.isEmpty()) {
            duringWaits.remove(0).run();
        }
        CLOCK.advance(d);
    };

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        client = ClientTestHooks.sleeper(ApiTestSupport.client(fake, CLOCK), scripted)
                .build();
        audit = client.auditLog();
        agent = fake.seed().agent("audited-bot");
        rows = new AuditFixtures(fake, agent);
    }

    @AfterEach
    void close() {
        client.close();
        duringWaits.clear();
    }

    @Test
    void aQueryReturnsTheNewestEntriesAndTheWatermark() {
        rows.append(5);
        CLOCK.advance(Duration.ofMillis(7));
        rows.append(3);

        AuditQueryResult r = audit.query(AuditQuery.newest().agentId(agent).limit(4));

        assertThat(r.entries()).hasSize(4);
        assertThat(r.entries()).isSortedAccordingTo((a, b) -> Long.compare(b.timestampMillis(), a.timestampMillis()));
        assertThat(r.maxTimestampMillis()).isEqualTo(CLOCK.millis());
        assertThat(r.entries().get(0).clientJson()).contains("\"client_seq\":8");
        AuditQueryResult after = audit.query(AuditQuery.newest().since(r.maxTimestampMillis()));
        assertThat(after.entries()).isEmpty();
        assertThat(after.maxTimestampMillis()).isEqualTo(r.maxTimestampMillis());
        assertThat(audit.query(AuditQuery.newest()
                                .agentId(agent)
                                .since(r.maxTimestampMillis() - 7)
                                .limit(100))
                        .entries())
                .hasSize(3);
        assertThat(fake.journal().entries("GET", "/v1/audit").get(0).query())
                .isEqualTo("limit=4&since=0&agent_id=" + agent);
    }

    @Test
    void entriesMatchTheFakesChainAndItsHashes() {
        rows.append(3);
        List<run.getstack.sdk.testkit.AuditEntry> theirs = fake.auditLog().entries();

        List<AuditEntry> ours = audit.query(AuditQuery.newest().limit(100)).entries();

        assertThat(ours).hasSize(theirs.size());
        for (AuditEntry e : ours) {
            assertThat(AuditChainVerifier.entryHash(e)).isEqualTo(e.entryHash());
        }
    }

    @Test
    void invalidQueriesAreRefusedLocallyAndByTheFake() {
        assertThatThrownBy(() -> AuditQuery.newest().limit(0)).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> AuditQuery.newest().limit(101)).hasMessageStartingWith("limit:");
        assertThatThrownBy(() -> AuditQuery.newest().since(-1)).hasMessageStartingWith("since:");
        assertThatThrownBy(() -> AuditQuery.newest().passportJti("pp 1")).hasMessageStartingWith("passport_jti:");
        assertThat(fake.journal().count("GET", "/v1/audit")).isZero();
        assertThat(ApiTestSupport.raw(fake, "GET", "/v1/audit?limit=101", null, null)
                        .statusCode())
                .isEqualTo(400);
        assertThat(ApiTestSupport.raw(fake, "GET", "/v1/audit?limit=0", null, null)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void theServersChainCheckNamesATamperedEntry() {
        rows.append(10);
        assertThat(audit.verifyChain().valid()).isTrue();
        String victim = fake.auditLog().entries().get(4).entryId();

        fake.auditLog().tamperForTest().editOutcome(4, "failure");
        ChainVerification v = audit.verifyChain();

        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEntryId()).isEqualTo(victim);
        assertThat(v.reason()).isEqualTo(ChainVerification.Reason.HASH_MISMATCH);
        assertThat(v.checked()).isEqualTo(5);
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong =
                ApiTestSupport.client(fake, CLOCK).apiKey("sk_live_wrong").build()) {
            assertThatThrownBy(() -> wrong.auditLog().query(AuditQuery.newest()))
                    .isInstanceOf(StackAuthenticationException.class);
            assertThatThrownBy(() -> wrong.auditLog().verifyChain()).isInstanceOf(StackAuthenticationException.class);
        }
    }

    @Test
    void aReadonlyMemberReadsAndVerifiesTheAuditLog() {
        rows.append(3);
        try (StackClient readonly = ApiTestSupport.client(fake, CLOCK)
                .apiKey(fake.seed().member("readonly").apiKey())
                .build()) {
            assertThat(readonly.auditLog()
                            .query(AuditQuery.newest().agentId(agent))
                            .entries())
                    .hasSizeGreaterThanOrEqualTo(3)
                    .isEqualTo(audit.query(AuditQuery.newest().agentId(agent)).entries());
            assertThat(readonly.auditLog().verifyChain().valid()).isTrue();
        }
    }

    @Test
    void theTailDeliversOnlyNewEntriesOnceEachOldestFirstEvenWithinOneMillisecond() {
        rows.append(3);
        duringWaits.add(() -> rows.append(2)); // same millisecond as the watermark
        duringWaits.add(() -> rows.append(2));
        List<AuditEntry> seen = new ArrayList<>();

        try (AuditTail tail = audit.tail(AuditTailOptions.fromNow().agentId(agent))) {
            for (int i = 0; i < 4; i++) {
                assertThat(tail.hasNext()).isTrue();
                seen.add(tail.next());
            }
            assertThat(tail.possibleGaps()).isZero();
            assertThat(tail.watermarkMillis()).isEqualTo(seen.get(3).timestampMillis());
        }

        assertThat(seen)
                .extracting(e -> e.clientJson().replaceAll(".*\"client_seq\":(\\d+).*", "$1"))
                .containsExactly("4", "5", "6", "7");
    }

    @Test
    void theTailStartsAfterAGivenTime() {
        rows.append(2);
        long t0 = CLOCK.millis();
        CLOCK.advance(Duration.ofMillis(1));
        rows.append(3);

        try (AuditTail tail =
                audit.tail(AuditTailOptions.fromNow().agentId(agent).startAfter(t0))) {
            List<AuditEntry> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                seen.add(tail.next());
            }
            assertThat(seen).allSatisfy(e -> assertThat(e.timestampMillis()).isGreaterThan(t0));
        }
    }

    @Test
    void aPollThatComesBackFullIsCountedAsAPossibleGap() {
        duringWaits.add(() -> rows.append(150));
        try (AuditTail tail = audit.tail(AuditTailOptions.fromNow())) {
            tail.next();
            assertThat(tail.possibleGaps()).isEqualTo(1);
        }
    }

    @Test
    void closingTheTailEndsTheIterationAndAnInterruptEndsTheWait() {
        AuditTail tail = audit.tail(AuditTailOptions.fromNow());
        duringWaits.add(tail::close);
        assertThat(tail.hasNext()).isFalse();

        Sleeper checking = d -> {
            throw new InterruptedException();
        };
        try (StackClient c = ClientTestHooks.sleeper(ApiTestSupport.client(fake, CLOCK), checking)
                .build()) {
            assertThatThrownBy(
                            () -> c.auditLog().tail(AuditTailOptions.fromNow()).hasNext())
                    .isInstanceOf(StackInterruptedException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void theFollowerHandsNewEntriesToItsListenerOnTheClientsScheduler() {
        ManualTaskScheduler scheduler = new ManualTaskScheduler(CLOCK);
        try (StackClient c = ClientTestHooks.scheduler(ApiTestSupport.client(fake, CLOCK), scheduler)
                .build()) {
            rows.append(2);
            List<AuditEntry> seen = new CopyOnWriteArrayList<>();
            List<StackException> errors = new CopyOnWriteArrayList<>();
            AuditFollower f = c.auditLog().follow(AuditTailOptions.fromNow(), new AuditEntryListener() {
                @Override
                public void onEntry(AuditEntry entry) {
                    seen.add(entry);
                }

                @Override
                public void onError(StackException error) {
                    errors.add(error);
                }
            });
            scheduler.runDue();
            assertThat(seen).isEmpty();

            rows.append(3);
            CLOCK.advance(AuditTailOptions.DEFAULT_POLL_INTERVAL);
            scheduler.runDue();
            assertThat(seen).hasSize(3);

            fake.faults().on("GET", "/v1/audit").failTimes(1, 503);
            CLOCK.advance(AuditTailOptions.DEFAULT_POLL_INTERVAL);
            scheduler.runDue();
            assertThat(errors).hasSize(1);

            f.close();
            rows.append(1);
            CLOCK.advance(AuditTailOptions.DEFAULT_POLL_INTERVAL);
            assertThat(scheduler.runDue()).isZero();
            assertThat(seen).hasSize(3);
            assertThat(f.isRunning()).isFalse();
        }
    }
}
