package run.getstack.sdk.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditDeliveryState;
import run.getstack.sdk.audit.AuditDurability;
import run.getstack.sdk.audit.AuditEvent;
import run.getstack.sdk.audit.AuditFlushResult;
import run.getstack.sdk.audit.AuditStats;
import run.getstack.sdk.audit.StackAuditException;
import run.getstack.sdk.audit.StackAuditFullException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Every wait of the audit writer (flush, close, a full queue, a security-critical event's fsync) ends on the client's
 * clock through the client's scheduler, so these tests end each one by advancing a {@link TestClock} and running the
 * manual scheduler's due tasks, never by waiting for real time; an interrupt ends each at once with the flag restored;
 * and the counters never count an event twice. The writer's own thread is held in the middle of a drain (after an
 * event reached the spool, before the next) through its test hook, which makes "not on disk yet" deterministic.
 *
 * <p>The real-time bounds below only keep a broken writer from hanging the build; no assertion depends on them.
 */
class AuditWriterWaitsTest {
    static final Duration HANG_GUARD = Duration.ofSeconds(30);
    static final String FLUSH_DEADLINE = "stack-audit-flush-deadline";
    static final String CLOSE_DEADLINE = "stack-audit-close-deadline";
    static final String FULL_DEADLINE = "stack-audit-full-wait";
    static final String DURABLE_DEADLINE = "stack-audit-durable-wait";
    static final String STOP_DEADLINE = "stack-audit-writer-stop";

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    @TempDir
    Path dir;

    FakeControlPlane fake;
    String agent;
    TestClock clock;
    ManualTaskScheduler scheduler;
    Gate gate;
    StackClient stack;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed().agent("waiter", "standard");
        this.clock = TestClock.create();
        this.scheduler = new ManualTaskScheduler(clock);
    }

    @AfterEach
    void release() {
        if (gate != null) {
            gate.open();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** No fsync, no wait at close unless a test sets one (a wait on the manual clock ends only when a test says). */
    AuditConfig.Builder config() {
        return AuditConfig.builder(dir)
                .durability(AuditDurability.NONE)
                .batchDelay(Duration.ofMillis(5))
                .closeTimeout(Duration.ZERO);
    }

    DefaultAuditWriter writer(AuditConfig cfg) {
        StackClient.Builder b = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .audit(cfg);
        ClientTestHooks.withoutRevocationFollower(ClientTestHooks.scheduler(b, scheduler));
        stack = b.build();
        DefaultAuditWriter w = (DefaultAuditWriter) stack.audit();
        gate = new Gate();
        w.afterAppendForTest(gate::pass);
        return w;
    }

    // ------------------------------------------------------------------ flush

    @Test
    void aFlushEndsAtItsTimeoutOnTheClientsClockAndNotBeforeAndReportsWhatIsNotOnDisk() throws Exception {
        DefaultAuditWriter audit = writer(config().build());
        audit.record(AuditEvent.action("tool.call"));
        gate.awaitHeld();

        Background<AuditFlushResult> flush = Background.start(() -> audit.flush(Duration.ofMinutes(1)));
        await("the flush's deadline on the client's scheduler", () -> pending(FLUSH_DEADLINE));
        clock.advance(Duration.ofMinutes(1).minusMillis(1));
        scheduler.runDue();
        assertThat(flush.isDone())
                .as("the flush waits while the client's clock is short of its timeout")
                .isFalse();

        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        AuditFlushResult r = flush.join();
        assertThat(r.acknowledged()).isZero();
        assertThat(r.spooled()).isZero();
        assertThat(r.unsafe())
                .as("written but not forced: neither on disk nor delivered")
                .isEqualTo(1);
        assertThat(r.isComplete()).isFalse();
        assertThat(r.isDurable()).isFalse();
        assertThat(pending(FLUSH_DEADLINE)).isFalse();
    }

    @Test
    void anInterruptEndsAFlushAtOnceWithTheFlagRestoredAndReportsNothingAsDelivered() throws Exception {
        DefaultAuditWriter audit = writer(config().build());
        audit.record(AuditEvent.action("tool.call"));
        gate.awaitHeld();

        Background<AuditFlushResult> flush = Background.start(() -> audit.flush(Duration.ofHours(1)));
        await("the flush's deadline on the client's scheduler", () -> pending(FLUSH_DEADLINE));
        flush.interrupt();

        Throwable t = flush.failure();
        assertThat(t).isInstanceOf(StackInterruptedException.class);
        assertThat(t.getMessage())
                .contains("interrupted while flushing")
                .contains("0 acknowledged")
                .contains("1 neither");
        assertThat(flush.interruptedAtEnd).as("the interrupt flag is restored").isTrue();
        assertThat(pending(FLUSH_DEADLINE))
                .as("the deadline's task is cancelled")
                .isFalse();
    }

    // ------------------------------------------------------------------ a full queue

    @Test
    void recordWaitsForRoomUntilFullWaitOnTheClientsClockThenFailsLoudly() throws Exception {
        DefaultAuditWriter audit = writer(
                config().queueCapacity(2).fullWait(Duration.ofSeconds(30)).build());
        audit.record(AuditEvent.action("first"));
        gate.awaitHeld(); // "first" is in the spool, the writer's thread is held before it takes more
        audit.record(AuditEvent.action("second"));

        Background<Void> third = Background.start(() -> {
            audit.record(AuditEvent.action("third"));
            return null;
        });
        await("the full-queue wait's deadline on the client's scheduler", () -> pending(FULL_DEADLINE));
        clock.advance(Duration.ofSeconds(30).minusMillis(1));
        scheduler.runDue();
        assertThat(third.isDone())
                .as("record() waits while the client's clock is short of fullWait")
                .isFalse();

        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        Throwable t = third.failure();
        assertThat(t).isInstanceOf(StackAuditFullException.class);
        assertThat(((StackAuditFullException) t).reason()).isEqualTo(StackAuditFullException.Reason.QUEUE_FULL);
        assertThat(t.getMessage()).contains("waited PT30S").contains("third was not recorded");
        assertThat(audit.stats().recorded()).isEqualTo(2);

        gate.open();
        await("both recorded events spooled", () -> audit.stats().spooled() == 2);
        assertThat(audit.stats().recorded())
                .as("the refused event never joins the chain")
                .isEqualTo(2);
    }

    @Test
    void anInterruptEndsTheWaitForRoomAtOnceAndTheEventIsNotRecorded() throws Exception {
        DefaultAuditWriter audit =
                writer(config().queueCapacity(2).fullWait(Duration.ofHours(1)).build());
        audit.record(AuditEvent.action("first"));
        gate.awaitHeld();
        audit.record(AuditEvent.action("second"));

        Background<Void> third = Background.start(() -> {
            audit.record(AuditEvent.action("third"));
            return null;
        });
        await("the full-queue wait's deadline on the client's scheduler", () -> pending(FULL_DEADLINE));
        third.interrupt();

        Throwable t = third.failure();
        assertThat(t).isInstanceOf(StackInterruptedException.class);
        assertThat(t.getMessage()).contains("third was not recorded");
        assertThat(third.interruptedAtEnd).isTrue();
        assertThat(pending(FULL_DEADLINE)).isFalse();

        gate.open();
        await("both recorded events spooled", () -> audit.stats().spooled() == 2);
        assertThat(audit.stats().recorded()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ a security-critical event's fsync

    @Test
    void aSecurityCriticalRecordWaitsForTheDiskUntilFullWaitOnTheClientsClockAndSaysItIsQueued() throws Exception {
        DefaultAuditWriter audit =
                writer(config().fullWait(Duration.ofSeconds(10)).build());
        Background<Void> critical = Background.start(() -> {
            audit.record(AuditEvent.action("passport.revoked").securityCritical());
            return null;
        });
        gate.awaitHeld(); // appended, not yet forced
        await("the fsync wait's deadline on the client's scheduler", () -> pending(DURABLE_DEADLINE));
        clock.advance(Duration.ofSeconds(10).minusMillis(1));
        scheduler.runDue();
        assertThat(critical.isDone()).isFalse();

        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        Throwable t = critical.failure();
        assertThat(t).isExactlyInstanceOf(StackAuditException.class);
        assertThat(t.getMessage()).contains("did not reach the disk within PT10S (it is queued)");
        assertThat(audit.stats().recorded())
                .as("it is recorded: the writer still writes it")
                .isEqualTo(1);

        gate.open();
        await("the event spooled and forced", () -> audit.spoolForces() > 0);
        assertThat(audit.stats().spooled()).isEqualTo(1);
    }

    @Test
    void anInterruptEndsTheWaitForTheDiskAtOnceAndSaysTheEventIsQueued() throws Exception {
        DefaultAuditWriter audit = writer(config().fullWait(Duration.ofHours(1)).build());
        Background<Void> critical = Background.start(() -> {
            audit.record(AuditEvent.action("passport.revoked").securityCritical());
            return null;
        });
        gate.awaitHeld();
        await("the fsync wait's deadline on the client's scheduler", () -> pending(DURABLE_DEADLINE));
        critical.interrupt();

        Throwable t = critical.failure();
        assertThat(t).isInstanceOf(StackInterruptedException.class);
        assertThat(t.getMessage()).contains("passport.revoked").contains("it is queued");
        assertThat(critical.interruptedAtEnd).isTrue();
        assertThat(pending(DURABLE_DEADLINE)).isFalse();
    }

    // ------------------------------------------------------------------ close

    @Test
    void closeFlushesUntilCloseTimeoutOnTheClientsClockThenStopsTheWriterAndForcesTheRest() throws Exception {
        DefaultAuditWriter audit =
                writer(config().closeTimeout(Duration.ofMinutes(2)).build());
        audit.record(AuditEvent.action("tool.call"));
        gate.awaitHeld();

        Background<AuditFlushResult> close = Background.start(audit::close);
        await("the close's deadline on the client's scheduler", () -> pending(CLOSE_DEADLINE));
        clock.advance(Duration.ofMinutes(2).minusMillis(1));
        scheduler.runDue();
        assertThat(close.isDone()).isFalse();

        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        await("the wait for the writer's thread on the client's scheduler", () -> pending(STOP_DEADLINE));
        gate.open(); // the thread finishes its drain, forces and stops
        AuditFlushResult r = close.join();
        assertThat(r.unsafe()).as("forced when the thread stopped").isZero();
        assertThat(r.spooled()).isEqualTo(1);
        assertThat(r.state()).isEqualTo(AuditDeliveryState.CLOSED);
        assertThat(scheduler.pending()).as("no deadline task left behind").isEmpty();
    }

    @Test
    void anInterruptedCloseReturnsTheTruthAtOnceKeepsTheFlagAndTheStoppingThreadStillReleasesTheSpool()
            throws Exception {
        DefaultAuditWriter audit =
                writer(config().closeTimeout(Duration.ofHours(1)).build());
        audit.record(AuditEvent.action("tool.call"));
        gate.awaitHeld();

        Background<AuditFlushResult> close = Background.start(audit::close);
        await("the close's deadline on the client's scheduler", () -> pending(CLOSE_DEADLINE));
        close.interrupt();

        AuditFlushResult r = close.join();
        assertThat(close.interruptedAtEnd).isTrue();
        assertThat(r.unsafe())
                .as("the writer's thread is still held: nothing is on disk")
                .isEqualTo(1);
        assertThat(r.isComplete()).isFalse();
        assertThat(r.state()).isEqualTo(AuditDeliveryState.CLOSED);
        assertThat(audit.close()).as("a second close returns the first result").isEqualTo(r);

        gate.open();
        await("the stopped writer released the spool", () -> {
            try (Spool s = Spool.open(dir, 1 << 20, 1 << 16, false)) {
                return s.lastSeq() == 1;
            } catch (StackAuditException inUse) {
                return false;
            }
        });
    }

    // ------------------------------------------------------------------ counters

    @Test
    void inTheMiddleOfADrainEveryEventIsCountedOnceQueuedOrSpooled() throws Exception {
        DefaultAuditWriter audit = writer(config().build());
        audit.record(AuditEvent.action("first"));
        gate.awaitHeld(); // "first" reached the spool; the drain has not finished
        audit.record(AuditEvent.action("second"));

        AuditStats s = audit.stats();
        assertThat(s.recorded()).isEqualTo(2);
        assertThat(s.spooled()).as(s.toString()).isEqualTo(1);
        assertThat(s.queueDepth()).as(s.toString()).isEqualTo(1);
        assertThat(s.queueDepth() + s.spooled()).isEqualTo(s.recorded());
        assertThat(s.acknowledged() + s.rejected() + s.unacknowledged())
                .as(s.toString())
                .isEqualTo(s.recorded());

        AuditFlushResult r = audit.flush(Duration.ZERO);
        assertThat(r.acknowledged() + r.spooled() + r.unsafe() + r.rejected())
                .as(r.toString())
                .isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    boolean pending(String task) {
        return scheduler.pending().contains(task);
    }

    /** Waits for what another thread does; never a timing assertion (the bound only stops a hang). */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Holds the writer's thread after its first append until opened. */
    static final class Gate {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch open = new CountDownLatch(1);
        private final AtomicBoolean first = new AtomicBoolean(true);

        void pass() {
            if (!first.getAndSet(false)) {
                return;
            }
            held.countDown();
            try {
                if (!open.await(HANG_GUARD.toSeconds() * 4, TimeUnit.SECONDS)) {
                    throw new AssertionError("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitHeld() throws InterruptedException {
            if (!held.await(HANG_GUARD.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the writer's thread never reached the gate");
            }
        }

        void open() {
            open.countDown();
        }
    }

    /** A call on its own thread, with what it returned or threw and whether its interrupt flag was set at the end. */
    static final class Background<T> {
        private final Thread thread;
        private volatile @Nullable T result;
        private volatile @Nullable Throwable failure;
        volatile boolean interruptedAtEnd;

        private Background(Callable<T> call) {
            thread = new Thread(
                    () -> {
                        try {
                            result = call.call();
                        } catch (Throwable t) {
                            failure = t;
                        } finally {
                            interruptedAtEnd = Thread.currentThread().isInterrupted();
                        }
                    },
                    "audit-waits-test");
            thread.setDaemon(true);
        }

        static <T> Background<T> start(Callable<T> call) {
            Background<T> b = new Background<>(call);
            b.thread.start();
            return b;
        }

        boolean isDone() {
            return !thread.isAlive();
        }

        void interrupt() {
            thread.interrupt();
        }

        private void awaitEnd() throws InterruptedException {
            thread.join(HANG_GUARD.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError("the call never returned");
            }
        }

        T join() throws InterruptedException {
            awaitEnd();
            Throwable f = failure;
            if (f != null) {
                throw new AssertionError("the call failed: " + f, f);
            }
            return result;
        }

        Throwable failure() throws InterruptedException {
            awaitEnd();
            Throwable f = failure;
            if (f == null) {
                throw new AssertionError("the call returned " + result + " instead of failing");
            }
            return f;
        }
    }
}
