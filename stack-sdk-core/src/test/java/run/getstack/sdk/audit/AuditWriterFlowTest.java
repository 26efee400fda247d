package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.audit.AuditTestSupport.INGEST;
import static run.getstack.sdk.audit.AuditTestSupport.chainIncidents;
import static run.getstack.sdk.audit.AuditTestSupport.client;
import static run.getstack.sdk.audit.AuditTestSupport.clientChainAtFake;
import static run.getstack.sdk.audit.AuditTestSupport.clientJsonOf;
import static run.getstack.sdk.audit.AuditTestSupport.config;
import static run.getstack.sdk.audit.AuditTestSupport.segments;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.SeededOperator;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class AuditWriterFlowTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    @TempDir
    Path dir;

    FakeControlPlane fake;
    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed().agent("auditor", "standard");
    }

    @Test
    void recordedEventsReachTheControlPlaneOnceInOrderWithEveryFieldAndAVerifyingChain() {
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            AuditWriter audit = stack.audit();
            audit.record(AuditEvent.action("tool.call")
                    .outcome(AuditOutcome.SUCCESS)
                    .detail("tool", "refund")
                    .detail("amount_cents", 1250)
                    .detail("approved", true)
                    .duration(Duration.ofMillis(42))
                    .passportJti("pp_explicit")
                    .timestamp(Instant.ofEpochMilli(1_767_225_600_123L)));
            audit.record(AuditEvent.action("decision.made")
                    .outcome(AuditOutcome.BLOCKED)
                    .detail("why", "caf\u00e9 \"q\"\n"));
            AuditFlushResult r = audit.flush(Duration.ofSeconds(20));

            assertThat(r.isComplete()).as(r.toString()).isTrue();
            assertThat(r.acknowledged()).isEqualTo(2);
            assertThat(r.state()).isEqualTo(AuditDeliveryState.DELIVERING);
        }
        List<AuditEntry> entries = fake.auditLog().entries().stream()
                .filter(e -> "agent".equals(e.layer()))
                .toList();
        assertThat(entries).extracting(AuditEntry::action).containsExactly("tool.call", "decision.made");
        AuditEntry first = entries.get(0);
        assertThat(first.outcome()).isEqualTo("success");
        assertThat(first.passportJti()).isEqualTo("pp_explicit");
        assertThat(first.durationMs()).isEqualTo(42L);
        JsonNode c = clientJsonOf(first);
        assertThat(c.path("timestamp").asLong()).isEqualTo(1_767_225_600_123L);
        assertThat(c.path("client_seq").asLong()).isEqualTo(1);
        assertThat(c.path("client_prev_hash").asText()).isEqualTo(ClientChainVerifier.GENESIS_HASH);
        assertThat(c.path("detail").toString())
                .isEqualTo("{\"tool\":\"refund\",\"amount_cents\":1250,\"approved\":true}");
        assertThat(clientJsonOf(entries.get(1)).path("detail").path("why").asText())
                .isEqualTo("caf\u00e9 \"q\"\n");
        assertThat(entries.get(1).outcome()).isEqualTo("blocked");
        assertThat(ClientChainVerifier.verify(clientChainAtFake(fake, agent)).valid())
                .isTrue();
        assertThat(fake.auditLog().verifyChain().valid()).isTrue();
        assertThat(chainIncidents(fake)).isZero();
    }

    @Test
    void theSdksOwnPassportEventsAreAuditedUnderThePassportTheyConcern() {
        String jti;
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            jti = stack.passport().current().jti();
            stack.audit().record(AuditEvent.action("tool.call"));
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).isComplete()).isTrue();
        }
        List<AuditEntry> entries = fake.auditLog().entries().stream()
                .filter(e -> "agent".equals(e.layer()))
                .toList();
        assertThat(entries).extracting(AuditEntry::action).containsExactly("passport.issued", "tool.call");
        assertThat(entries).extracting(AuditEntry::passportJti).containsExactly(jti, jti);
    }

    @Test
    void whatOtherCapabilitiesPublishOnTheClientsEventHookIsAudited() {
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            run.getstack.sdk.ClientTestHooks.events(stack)
                    .publish(new ClientEvent(
                            Instant.ofEpochMilli(1_767_225_600_500L),
                            "lease.acquired",
                            ClientEvent.Outcome.SUCCESS,
                            "pp_lease_holder",
                            Duration.ofMillis(7),
                            java.util.Map.of("lease_fp", "a1b2c3d4")));
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).isComplete()).isTrue();
        }
        AuditEntry e = fake.auditLog().withAction("lease.acquired").get(0);
        assertThat(e.layer()).isEqualTo("agent");
        assertThat(e.passportJti()).isEqualTo("pp_lease_holder");
        assertThat(e.durationMs()).isEqualTo(7L);
        assertThat(clientJsonOf(e).path("timestamp").asLong()).isEqualTo(1_767_225_600_500L);
        assertThat(clientJsonOf(e).path("detail").path("lease_fp").asText()).isEqualTo("a1b2c3d4");
    }

    @Test
    void aFlushEndsAtItsTimeoutEvenWhileEverySchedulerWorkerIsBusy() throws Exception {
        // review: a wait ended only when a scheduler task could run at its deadline; with every worker busy, flush and
        // close waited on without end
        // the delivery is held at the fake, so nothing but the deadline can end the flush
        run.getstack.sdk.testkit.FaultRule held =
                fake.faults().on("POST", INGEST).hold();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (StackClient stack = client(fake, agent, config(dir).build())
                .clock(java.time.Clock.systemUTC())
                .build()) {
            java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(8);
            for (int i = 0; i < 8; i++) { // DefaultTaskScheduler's most workers
                run.getstack.sdk.ClientTestHooks.scheduler(stack).submit("busy-" + i, () -> {
                    busy.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(busy.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            stack.audit().record(AuditEvent.action("tool.call"));
            java.util.concurrent.CompletableFuture<AuditFlushResult> flushed =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> stack.audit().flush(Duration.ofMillis(300)));
            AuditFlushResult r = flushed.get(30, java.util.concurrent.TimeUnit.SECONDS); // hang guard
            assertThat(r.isComplete()).as(r.toString()).isFalse();
            assertThat(r.acknowledged()).isZero();
            release.countDown(); // before close, which would otherwise wait out its own timeout on the held delivery
            held.release();
        } finally {
            release.countDown();
            held.release();
            fake.faults().clear();
        }
    }

    @Test
    void flushWithTheControlPlaneDownReportsTheEventsAsSpooledNotAcknowledged() {
        fake.faults().on("POST", INGEST).respondWith(503);
        try (StackClient stack = client(
                        fake, agent, config(dir).closeTimeout(Duration.ZERO).build())
                .build()) {
            for (int i = 0; i < 25; i++) {
                stack.audit().record(AuditEvent.action("tool.call").detail("i", i));
            }
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));

            assertThat(r.acknowledged()).isZero();
            assertThat(r.spooled()).isEqualTo(25);
            assertThat(r.unsafe()).isZero();
            assertThat(r.isComplete()).isFalse();
            assertThat(r.isDurable()).isTrue();
            assertThat(r.state()).isEqualTo(AuditDeliveryState.RETRYING);
            AuditStats s = stack.audit().stats();
            assertThat(s.recorded()).isEqualTo(25);
            assertThat(s.acknowledged()).isZero();
            assertThat(s.unacknowledged()).isEqualTo(25);
            assertThat(s.dropped()).isZero();
            assertThat(s.lastFailure()).isEqualTo("HTTP 503 SERVICE_UNAVAILABLE");
        } finally {
            fake.faults().clear();
        }
        assertThat(fake.auditLog().entries()).noneMatch(e -> "agent".equals(e.layer()));
    }

    @Test
    void againstAControlPlaneWithoutIngestTheChainStaysInTheSpoolAndANewWriterDeliversItLater() throws IOException {
        fake.faults().on("POST", INGEST).respondWith(404, "NOT_FOUND");
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            for (int i = 0; i < 10; i++) {
                stack.audit().record(AuditEvent.action("tool.call").detail("i", i));
            }
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));

            assertThat(r.state()).isEqualTo(AuditDeliveryState.NOT_SUPPORTED);
            assertThat(r.acknowledged()).isZero();
            assertThat(r.spooled()).isEqualTo(10);
            assertThat(stack.audit().stats().state()).isEqualTo(AuditDeliveryState.NOT_SUPPORTED);
            assertThat(stack.audit().stats().lastFailure()).contains("404");
            stack.audit().record(AuditEvent.action("tool.call").detail("i", 10));
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).spooled()).isEqualTo(11);
        } finally {
            fake.faults().clear();
        }
        assertThat(segments(dir)).isNotEmpty();
        assertThat(Files.size(segments(dir).get(0))).isGreaterThan(11 * 100L);
        assertThat(fake.journal().entries().stream()
                        .filter(e -> e.path().equals(INGEST))
                        .count())
                .as("no retry after the 404")
                .isEqualTo(1);

        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            stack.audit().record(AuditEvent.action("tool.call").detail("i", 11));
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));
            assertThat(r.isComplete()).as(r.toString()).isTrue();
            assertThat(stack.audit().stats().replayed()).isEqualTo(11);
        }
        List<ChainedAuditEvent> chain = clientChainAtFake(fake, agent);
        assertThat(chain).hasSize(12);
        assertThat(chain)
                .extracting(ChainedAuditEvent::clientSeq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(ClientChainVerifier.verify(chain).valid()).isTrue();
        assertThat(chainIncidents(fake)).isZero();
    }

    @Test
    void theChainContinuesAcrossARestartOfTheWriter() {
        fake.faults().on("POST", INGEST).respondWith(503);
        try (StackClient stack = client(
                        fake, agent, config(dir).closeTimeout(Duration.ZERO).build())
                .build()) {
            for (int i = 0; i < 7; i++) {
                stack.audit().record(AuditEvent.action("before.restart"));
            }
        } finally {
            fake.faults().clear();
        }
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            for (int i = 0; i < 3; i++) {
                stack.audit().record(AuditEvent.action("after.restart"));
            }
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).isComplete()).isTrue();
            assertThat(stack.audit().stats().replayed()).isEqualTo(7);
        }
        List<ChainedAuditEvent> chain = clientChainAtFake(fake, agent);
        assertThat(chain)
                .extracting(ChainedAuditEvent::action)
                .containsExactly(
                        "before.restart",
                        "before.restart",
                        "before.restart",
                        "before.restart",
                        "before.restart",
                        "before.restart",
                        "before.restart",
                        "after.restart",
                        "after.restart",
                        "after.restart");
        assertThat(ClientChainVerifier.verify(chain).valid()).isTrue();
        assertThat(chainIncidents(fake)).as("no gap, no restart of the chain").isZero();
    }

    @Test
    void aTornLastRecordIsCutAndReportedAndEverythingBeforeItIsDelivered() throws IOException {
        fake.faults().on("POST", INGEST).respondWith(503);
        try (StackClient stack = client(
                        fake, agent, config(dir).closeTimeout(Duration.ZERO).build())
                .build()) {
            for (int i = 0; i < 5; i++) {
                stack.audit().record(AuditEvent.action("tool.call").detail("i", i));
            }
        } finally {
            fake.faults().clear();
        }
        Path seg = segments(dir).get(segments(dir).size() - 1);
        // a crash in the middle of appending a sixth record: a header and half a payload
        byte[] torn = new byte[24 + 40];
        torn[3] = (byte) 200; // declares a 200-byte payload, only 40 follow
        Files.write(seg, torn, StandardOpenOption.APPEND);

        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            assertThat(stack.audit().stats().tornRecordsCut()).isEqualTo(1);
            stack.audit().record(AuditEvent.action("after.crash"));
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).isComplete()).isTrue();
        }
        List<ChainedAuditEvent> chain = clientChainAtFake(fake, agent);
        assertThat(chain).hasSize(6);
        assertThat(chain.get(5).action()).isEqualTo("after.crash");
        assertThat(chain.get(5).clientSeq()).isEqualTo(6);
        assertThat(ClientChainVerifier.verify(chain).valid()).isTrue();
    }

    @Test
    void aFullDiskBudgetMakesRecordWaitThenFailLoudlyAndNothingIsDropped() {
        fake.faults().on("POST", INGEST).respondWith(503);
        AuditConfig cfg = config(dir)
                .segmentBytes(AuditConfig.MIN_SEGMENT_BYTES)
                .diskBudgetBytes(2 * AuditConfig.MIN_SEGMENT_BYTES)
                .queueCapacity(8)
                .fullWait(Duration.ofMillis(50))
                .build();
        long accepted = 0;
        try (StackClient stack = client(fake, agent, cfg).build()) {
            StackAuditFullException full = null;
            for (int i = 0; i < 10_000 && full == null; i++) {
                try {
                    stack.audit().record(AuditEvent.action("tool.call").detail("pad", "x".repeat(200)));
                    accepted++;
                } catch (StackAuditFullException e) {
                    // the queue (8) can also fill while a starved writer thread has not yet tried the full disk; that
                    // event is refused just as loudly and not counted, and the loop goes on until the disk says so
                    if (e.reason() == StackAuditFullException.Reason.SPOOL_FULL) {
                        full = e;
                    }
                }
            }
            assertThat(full).isNotNull();
            assertThat(full.reason()).isEqualTo(StackAuditFullException.Reason.SPOOL_FULL);
            assertThat(full.getMessage()).contains("disk budget").contains("tool.call was not recorded");
            assertThat(stack.audit().stats().dropped()).isZero();
            assertThat(stack.audit().stats().recorded()).isEqualTo(accepted);

            fake.faults().clear();
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));
            assertThat(r.isComplete()).as(r.toString()).isTrue();
            assertThat(r.acknowledged()).isEqualTo(accepted);
            stack.audit().record(AuditEvent.action("room.again"));
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).acknowledged())
                    .isEqualTo(accepted + 1);
        } finally {
            fake.faults().clear();
        }
        assertThat(clientChainAtFake(fake, agent)).hasSize((int) accepted + 1);
        assertThat(ClientChainVerifier.verify(clientChainAtFake(fake, agent)).valid())
                .isTrue();
    }

    @Test
    void eventsTheControlPlaneRejectsAreCountedWithTheirCodeAndNotRetried() {
        SeededOperator other = fake.seed().operator("someone-else");
        // no batch timer: the flush sends the three events as one batch, so a second POST can only be a retry
        AuditConfig cfg = config(dir).batchDelay(Duration.ofHours(1)).build();
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(other.apiKey()) // another operator's key: the agent is not the caller's
                .agentId(agent)
                .clock(fake.clock())
                .retryPolicy(run.getstack.sdk.RetryPolicy.none())
                .audit(cfg)
                .build()) {
            for (int i = 0; i < 3; i++) {
                stack.audit().record(AuditEvent.action("tool.call"));
            }
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(20));

            assertThat(r.rejected()).isEqualTo(3);
            assertThat(r.acknowledged()).isZero();
            assertThat(r.spooled()).isZero();
            assertThat(r.isComplete()).as("a rejection is not a success").isFalse();
            assertThat(stack.audit().stats().rejectedByCode()).containsExactly(java.util.Map.entry("FORBIDDEN", 3L));
        }
        assertThat(fake.journal().entries().stream()
                        .filter(e -> e.path().equals(INGEST))
                        .count())
                .isEqualTo(1);
        assertThat(fake.auditLog().entries()).noneMatch(e -> "agent".equals(e.layer()));
    }

    @Test
    void aSecurityCriticalEventIsInTheSpoolFileWhenRecordReturns() throws IOException {
        fake.faults().on("POST", INGEST).respondWith(503);
        try (StackClient stack = client(
                        fake,
                        agent,
                        config(dir)
                                .batchDelay(Duration.ofHours(1))
                                .closeTimeout(Duration.ZERO)
                                .build())
                .build()) {
            stack.audit().record(AuditEvent.action("key.rotated").securityCritical());
            assertThat(segments(dir)).hasSize(1);
            String content = Files.readString(segments(dir).get(0), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content).contains("\"action\":\"key.rotated\"");
        } finally {
            fake.faults().clear();
        }
    }

    @Test
    void theOldestUnacknowledgedAgeIsMeasuredOnTheClientsClock() {
        TestClock clock = TestClock.create();
        fake.faults().on("POST", INGEST).respondWith(503);
        try (StackClient stack = client(
                        fake, agent, config(dir).closeTimeout(Duration.ZERO).build())
                .clock(clock)
                .build()) {
            stack.audit().record(AuditEvent.action("tool.call"));
            // returns once the event is on disk and a send has failed, not after a guessed time
            assertThat(stack.audit().flush(Duration.ofSeconds(20)).spooled()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(5));
            assertThat(stack.audit().stats().oldestUnacknowledgedAge()).isEqualTo(Duration.ofMinutes(5));
        } finally {
            fake.faults().clear();
        }
    }

    @Test
    void recordAfterCloseFailsAndCloseReportsTheSameResultTwice() {
        StackClient stack = client(fake, agent, config(dir).build()).build();
        AuditWriter audit = stack.audit();
        audit.record(AuditEvent.action("tool.call"));
        AuditFlushResult first = audit.close();
        assertThat(first.isComplete()).isTrue();
        assertThat(first.state()).isEqualTo(AuditDeliveryState.CLOSED);
        assertThat(audit.close()).isEqualTo(first);
        assertThatThrownBy(() -> audit.record(AuditEvent.action("late.event")))
                .isInstanceOf(StackAuditException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining("late.event");
        stack.close();
    }

    @Test
    void oneWriterPerSpoolDirectory() {
        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            assertThat(stack.audit()).isNotNull();
            assertThatThrownBy(() -> client(fake, agent, config(dir).build()).build())
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageContaining("audit.spoolDirectory")
                    .hasMessageContaining("in use by another writer");
        }
    }

    @Test
    void theWriterMustBeConfiguredAndNeedsAnAgent() {
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .build()) {
            assertThatThrownBy(stack::audit)
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageContaining("audit: not configured");
        }
        assertThatThrownBy(() -> StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .audit(config(dir).build())
                        .build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("audit: requires agentId");
    }
}
