package run.getstack.sdk.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditDeliveryState;
import run.getstack.sdk.audit.AuditDurability;
import run.getstack.sdk.audit.AuditEvent;
import run.getstack.sdk.audit.AuditFlushResult;
import run.getstack.sdk.audit.AuditOutcome;
import run.getstack.sdk.audit.AuditStats;
import run.getstack.sdk.audit.AuditWriter;
import run.getstack.sdk.audit.StackAuditException;
import run.getstack.sdk.audit.StackAuditFullException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. The {@link AuditWriter}: a bounded lock-free queue in front of one named daemon
 * thread ({@link AuditWorker}) that chains and spools, and an {@link AuditSender} on the client's scheduler that
 * delivers. {@code record()} costs a clock read, an allocation and a queue offer; it wakes the worker only when a
 * full batch is waiting or the caller waits for the disk.
 */
public final class DefaultAuditWriter implements AuditWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultAuditWriter.class);
    static final String FLUSH_DEADLINE = "stack-audit-flush-deadline";
    static final String CLOSE_DEADLINE = "stack-audit-close-deadline";
    static final String FULL_WAIT_DEADLINE = "stack-audit-full-wait";
    static final String DURABLE_WAIT_DEADLINE = "stack-audit-durable-wait";
    static final String WORKER_STOP_DEADLINE = "stack-audit-writer-stop";

    /** The longest {@link #flush(Duration)}. */
    private static final Duration MAX_FLUSH = Duration.ofHours(1);

    /** How long close() waits for the writer's thread to force what it holds and stop (it is disk I/O, not network). */
    private static final Duration WORKER_STOP_WAIT = Duration.ofSeconds(30);

    private final AuditConfig config;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final Spool spool;
    private final AuditWorker worker;
    private final AuditSender sender;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    /** Slots of the bounded queue in use (the capacity's bookkeeping only; stats derive the depth, see counts()). */
    private final AtomicInteger queued = new AtomicInteger();

    private final int capacity;
    private final int wakeAt;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final AtomicInteger waitingForSpace = new AtomicInteger();
    private final AtomicBoolean wake = new AtomicBoolean();
    private final AtomicInteger flushing = new AtomicInteger();
    private final LongAdder recorded = new LongAdder();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong spooled = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, LongAdder> rejectedByCode = new ConcurrentHashMap<>();
    private final AtomicLong forcedSeq = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong lastFailedAttempt = new AtomicLong();
    private final long startSeq;
    private final long recoveredThrough;
    private final long ackedAtStart;
    private volatile boolean stop;
    private volatile boolean workerDone;
    private volatile boolean spoolFull;
    private volatile AuditDeliveryState state = AuditDeliveryState.DELIVERING;
    private volatile @Nullable String lastFailure;
    private volatile @Nullable Throwable spoolFailure;
    private volatile @Nullable String currentJti;
    private final @Nullable AutoCloseable subscription;
    private final @Nullable Thread shutdownHook;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile @Nullable AuditFlushResult closeResult;

    /**
     * Opens the spool (recovering it), starts the writer's thread and subscribes to the client's events.
     *
     * @param config the configuration
     * @param agentId the client's agent (every event's {@code agent_id})
     * @param transport the client's transport
     * @param scheduler the client's scheduler (for the sends)
     * @param events the client's event hook
     * @param clock the client's clock
     * @param random uniform doubles in [0, 1) for the backoff jitter
     * @throws StackAuditException if the spool cannot be opened
     */
    public DefaultAuditWriter(
            AuditConfig config,
            String agentId,
            Transport transport,
            TaskScheduler scheduler,
            ClientEvents events,
            Clock clock,
            DoubleSupplier random) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.capacity = config.queueCapacity();
        this.wakeAt = Math.min(config.maxBatchEvents(), capacity);
        this.spool = Spool.open(
                config.spoolDirectory(),
                config.diskBudgetBytes(),
                config.segmentBytes(),
                config.durability() != AuditDurability.NONE);
        Spool.Recovery rec = spool.recovery();
        if (rec.tornRecordsCut() > 0) {
            LOG.warn(
                    "audit spool {}: cut a torn record from its tail after a crash ({}); everything before it is kept",
                    config.spoolDirectory(),
                    rec.tornDetail());
        }
        if (rec.unacknowledged() > 0) {
            LOG.info(
                    "audit spool {}: {} unacknowledged events from an earlier run will be delivered",
                    config.spoolDirectory(),
                    rec.unacknowledged());
        }
        this.startSeq = spool.lastSeq();
        this.recoveredThrough = spool.lastSeq();
        this.ackedAtStart = spool.ackedSeq();
        this.forcedSeq.set(spool.lastSeq());
        this.worker =
                new AuditWorker(this, spool, agentId, config.durability(), config.groupCommitInterval(), scheduler);
        this.sender = new AuditSender(
                this,
                spool,
                transport,
                scheduler,
                config.maxBatchEvents(),
                config.maxBatchBytes(),
                config.batchDelay(),
                config.retryBaseDelay(),
                config.retryMaxDelay(),
                random);
        this.thread = new Thread(worker, "stack-audit-writer");
        thread.setDaemon(true);
        thread.start();
        AutoCloseable sub = null;
        try {
            sub = events.subscribe(this::onClientEvent);
        } catch (RuntimeException e) {
            closeNow();
            throw e;
        }
        this.subscription = sub;
        Thread hook = null;
        if (config.shutdownHook()) {
            hook = new Thread(this::close, "stack-audit-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        this.shutdownHook = hook;
        sender.start();
    }

    // ------------------------------------------------------------------ record

    @Override
    public void record(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        if (stop) {
            throw new StackAuditException("the audit writer is closed; " + event.action() + " was not recorded", null);
        }
        Throwable failed = spoolFailure;
        if (failed != null) {
            throw new StackAuditException(
                    "the audit spool failed (" + failed.getClass().getSimpleName() + "); " + event.action()
                            + " was not recorded",
                    failed);
        }
        java.util.Optional<java.time.Instant> given = event.timestamp(); // no capturing lambda on the agent's thread
        long ts = given.isPresent() ? given.get().toEpochMilli() : clock.millis();
        boolean durable = event.isSecurityCritical() || config.durability() == AuditDurability.SYNC;
        CompletableFuture<Void> done = durable ? new CompletableFuture<>() : null;
        Pending p = new Pending(event, ts, done);
        int depth = offer(p, event);
        if (done != null) {
            requestWake();
            awaitDurable(done, event);
        } else if (depth == wakeAt) {
            requestWake();
        }
    }

    /**
     * Queues the event, waiting for room up to {@link AuditConfig#fullWait()} on the client's clock. It counts as
     * recorded from the moment it is queued (before the writer's thread can take it), so {@code recorded} never lags
     * {@code spooled}.
     */
    private int offer(Pending p, AuditEvent event) {
        int depth = queued.incrementAndGet();
        if (depth <= capacity) {
            recorded.increment();
            queue.offer(p);
            return depth;
        }
        queued.decrementAndGet();
        waitingForSpace.incrementAndGet();
        Deadline deadline = Deadline.start(FULL_WAIT_DEADLINE, config.fullWait(), clock, scheduler, this::signal);
        lock.lock();
        try {
            while (true) {
                depth = queued.incrementAndGet();
                if (depth <= capacity) {
                    recorded.increment();
                    queue.offer(p);
                    return depth;
                }
                queued.decrementAndGet();
                requestWake();
                if (stop) {
                    throw new StackAuditException(
                            "the audit writer was closed while record() waited for room; " + event.action()
                                    + " was not recorded",
                            null);
                }
                Throwable failed = spoolFailure;
                if (failed != null) {
                    throw new StackAuditException(
                            "the audit spool failed (" + failed.getClass().getSimpleName()
                                    + ") while record() waited for room; " + event.action() + " was not recorded",
                            failed);
                }
                if (deadline.isOver()) {
                    boolean disk = spoolFull;
                    throw new StackAuditFullException(
                            (disk
                                            ? "the audit spool's disk budget (" + config.diskBudgetBytes()
                                                    + " bytes) is used up by events the control plane has not"
                                                    + " acknowledged"
                                            : "the audit queue (" + capacity + " events) is full")
                                    + "; waited " + deadline.describe() + "; " + event.action()
                                    + " was not recorded",
                            disk
                                    ? StackAuditFullException.Reason.SPOOL_FULL
                                    : StackAuditFullException.Reason.QUEUE_FULL);
                }
                progress.awaitNanos(deadline.sleepNanos()); // woken by room, a failure, close, or the deadline
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for room in the audit writer; " + event.action() + " was not recorded",
                    null,
                    e);
        } finally {
            lock.unlock();
            deadline.close();
            waitingForSpace.decrementAndGet();
        }
    }

    /** Ends a wait for the disk: the deadline's task completes the event's future with it. */
    private static final class DiskWaitOver extends Exception {
        private static final long serialVersionUID = 1L;

        DiskWaitOver() {
            super(null, null, false, false);
        }
    }

    private void awaitDurable(CompletableFuture<Void> done, AuditEvent event) {
        // the worker completes the future when the event is forced; the deadline's task ends the wait at fullWait
        Deadline deadline = Deadline.start(
                DURABLE_WAIT_DEADLINE,
                config.fullWait(),
                clock,
                scheduler,
                () -> done.completeExceptionally(new DiskWaitOver()));
        try {
            if (deadline.isOver()) {
                done.completeExceptionally(new DiskWaitOver());
            }
            while (!done.isDone()) {
                try {
                    done.get(deadline.sleepNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.TimeoutException stillWaiting) {
                    if (deadline.isOver()) { // the scheduler could not run the deadline's task in time
                        done.completeExceptionally(new DiskWaitOver());
                    }
                }
            }
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for " + event.action() + " to reach the disk (it is queued)", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DiskWaitOver) {
                throw new StackAuditException(
                        event.action() + " did not reach the disk within " + deadline.describe() + " (it is queued)",
                        null);
            }
            throw new StackAuditException(
                    "the audit spool failed before " + event.action() + " reached the disk", e.getCause());
        } finally {
            deadline.close();
        }
    }

    private void onClientEvent(ClientEvent e) {
        String jti = e.passportJti();
        if (jti != null
                && (e.action().equals("passport.issued") || e.action().equals("passport.refreshed"))
                && e.outcome() == ClientEvent.Outcome.SUCCESS) {
            currentJti = jti;
        } else if (e.action().equals("passport.checked_out") && jti != null && jti.equals(currentJti)) {
            currentJti = null;
        }
        if (stop) {
            return;
        }
        AuditEvent a =
                AuditEvent.action(e.action()).outcome(outcome(e.outcome())).timestamp(e.at());
        if (jti != null) {
            a = a.passportJti(jti);
        }
        Duration d = e.duration();
        if (d != null && !d.isNegative()) {
            a = a.duration(d);
        }
        for (Map.Entry<String, String> entry : e.detail().entrySet()) {
            a = a.detail(entry.getKey(), entry.getValue());
        }
        record(a);
    }

    private static AuditOutcome outcome(ClientEvent.Outcome o) {
        return switch (o) {
            case SUCCESS -> AuditOutcome.SUCCESS;
            case FAILURE -> AuditOutcome.FAILURE;
            case PENDING -> AuditOutcome.PENDING;
            case BLOCKED -> AuditOutcome.BLOCKED;
        };
    }

    // ------------------------------------------------------------------ worker and sender callbacks

    /** Takes the next queued event; the worker reports how many it took with {@link #taken(int)}. */
    @Nullable
    Pending poll() {
        return queue.poll();
    }

    /** The worker took {@code n} events off the queue (one atomic update per drain, not one per event). */
    void taken(int n) {
        if (n > 0) {
            queued.addAndGet(-n);
            signalSpace();
        }
    }

    /** Events in the queue itself (not the one the worker holds): the worker's test for "nothing left to take". */
    int queueDepth() {
        return Math.max(0, queued.get());
    }

    boolean stopRequested() {
        return stop;
    }

    boolean forceRequested() {
        return flushing.get() > 0 || closing.get();
    }

    boolean wakeRequested() {
        return wake.getAndSet(false);
    }

    void requestWake() {
        wake.set(true);
        LockSupport.unpark(thread);
    }

    AuditSender sender() {
        return sender;
    }

    @Nullable
    String currentPassportJti() {
        return currentJti;
    }

    void spoolFull(boolean full) {
        if (spoolFull != full) {
            spoolFull = full;
            if (full) {
                signal(); // a flush waits for the disk only while the spool can take more
            }
        }
    }

    /** The writer's thread is ending; when the writer is closing it releases the spool itself. */
    void workerStopped() {
        workerDone = true;
        if (stop) {
            spool.close();
        }
        signal();
    }

    void spooledOne() {
        spooled.incrementAndGet();
    }

    private void signalSpace() {
        if (waitingForSpace.get() > 0) {
            signal();
        }
    }

    void forced(long seq) {
        long prev = forcedSeq.get();
        if (seq > prev && forcedSeq.compareAndSet(prev, seq)) {
            signal();
        }
    }

    void spoolFailed(Throwable e) {
        spoolFailure = e;
        state = AuditDeliveryState.FAILED;
        lastFailure = "spool: " + e.getClass().getSimpleName();
        for (Pending p : queue) {
            CompletableFuture<Void> f = p.durable();
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
        signal();
    }

    AuditDeliveryState state() {
        return state;
    }

    /** A send of {@code n} events starts; returns its attempt number. */
    long sending(int n) {
        sent.addAndGet(n);
        return attempts.incrementAndGet();
    }

    void acknowledgedOne(long seq) {
        acknowledged.incrementAndGet();
        if (seq <= recoveredThrough) {
            replayed.incrementAndGet();
        }
    }

    void rejectedOne(String code) {
        rejected.incrementAndGet();
        rejectedByCode.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void delivered(long answered) {
        if (state == AuditDeliveryState.RETRYING) {
            LOG.info("audit delivery resumed");
        }
        if (state != AuditDeliveryState.FAILED && state != AuditDeliveryState.CLOSED) {
            state = AuditDeliveryState.DELIVERING;
        }
        if (spoolFull) {
            requestWake();
        }
        signal();
    }

    void deliveryFailed(String why, long attempt) {
        if (state == AuditDeliveryState.DELIVERING) {
            LOG.warn("audit delivery failed ({}); events wait in the spool and delivery is retried", why);
            state = AuditDeliveryState.RETRYING;
        }
        lastFailure = why;
        lastFailedAttempt.accumulateAndGet(attempt, Math::max); // last: a flush waiting for it sees the state
        signal();
    }

    void notSupported(String why) {
        lastFailure = why;
        state = AuditDeliveryState.NOT_SUPPORTED;
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ flush, stats, close

    @Override
    public AuditFlushResult flush(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must not be negative, was " + timeout);
        }
        if (closeResult != null) {
            return result();
        }
        return flushFor(timeout.compareTo(MAX_FLUSH) > 0 ? MAX_FLUSH : timeout, FLUSH_DEADLINE);
    }

    /**
     * Forces, then delivers, until done or {@code timeout} is over on the client's clock (a task on the client's
     * scheduler wakes the wait at its end; every step of progress wakes it too).
     */
    private AuditFlushResult flushFor(Duration timeout, String deadlineTask) {
        long target = startSeq + recorded.sum();
        flushing.incrementAndGet();
        Deadline deadline = Deadline.start(deadlineTask, timeout, clock, scheduler, this::signal);
        try {
            requestWake();
            lock.lock();
            try {
                // first: every event recorded before this call is on disk (or the spool cannot take it)
                while (forcedSeq.get() < target
                        && !(spoolFull && forcedSeq.get() >= spool.lastSeq())
                        && spoolFailure == null
                        && !workerDone
                        && !stop) {
                    if (deadline.isOver()) {
                        return result();
                    }
                    progress.awaitNanos(deadline.sleepNanos());
                    requestWake();
                }
                long attemptsBefore = attempts.get();
                sender.flushNow();
                // then: delivered, until the control plane has it all, a delivery fails, or the time is up
                while (spool.ackedSeq() < target
                        && state != AuditDeliveryState.NOT_SUPPORTED
                        && lastFailedAttempt.get() <= attemptsBefore
                        && !stop
                        && !deadline.isOver()) {
                    progress.awaitNanos(deadline.sleepNanos());
                    if (spool.ackedSeq() < target && !sender.isRunning()) {
                        sender.flushNow();
                    }
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            AuditFlushResult r = result();
            throw new StackInterruptedException(
                    "interrupted while flushing the audit writer: " + r.acknowledged() + " acknowledged, "
                            + r.spooled() + " on disk waiting, " + r.unsafe() + " neither, " + r.rejected()
                            + " rejected",
                    null,
                    e);
        } finally {
            deadline.close();
            flushing.decrementAndGet();
        }
        return result();
    }

    /**
     * The counters read once, in the order that counts every event exactly once: the answered ones first (every
     * answered event was spooled before it was answered), then the forced seq, then the spooled ones (every spooled
     * event was recorded before it was spooled), then the recorded ones. Each is only ever raised, so a later read
     * sees at least what an earlier one counted: an event moving on between two reads is counted where the later read
     * saw it, never in both places.
     */
    private record Counts(
            long acknowledged, long rejected, long answeredSeq, long forcedSeq, long lastSeq, long inMemory) {}

    private Counts counts() {
        long ack = acknowledged.get();
        long rej = rejected.get();
        long forced = forcedSeq.get();
        long spooledHere = spooled.get();
        long rec = recorded.sum();
        return new Counts(ack, rej, ackedAtStart + ack + rej, forced, startSeq + spooledHere, rec - spooledHere);
    }

    private AuditFlushResult result() {
        Counts c = counts();
        long onDisk = Math.max(0, c.forcedSeq() - c.answeredSeq());
        long unsafe = c.inMemory() + Math.max(0, c.lastSeq() - Math.max(c.forcedSeq(), c.answeredSeq()));
        return new AuditFlushResult(c.acknowledged(), onDisk, unsafe, c.rejected(), state);
    }

    @Override
    public AuditStats stats() {
        Map<String, Long> byCode = new java.util.TreeMap<>();
        rejectedByCode.forEach((k, v) -> byCode.put(k, v.sum()));
        Counts c = counts();
        long unacked = c.inMemory() + Math.max(0, c.lastSeq() - c.answeredSeq());
        long oldest = -1;
        if (unacked > 0) {
            oldest = spool.oldestUnackedTimestamp();
            Pending head = queue.peek();
            if (oldest < 0 && head != null) {
                oldest = head.timestamp();
            }
        }
        Duration age = oldest < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - oldest));
        return new AuditStats(
                c.inMemory() + c.lastSeq() - startSeq,
                sent.get(),
                c.acknowledged(),
                c.lastSeq() - startSeq,
                replayed.get(),
                c.rejected(),
                byCode,
                0,
                c.inMemory(),
                unacked,
                age,
                spool.recovery().tornRecordsCut(),
                state,
                lastFailure);
    }

    @Override
    public AuditFlushResult close() {
        if (!closing.compareAndSet(false, true)) {
            AuditFlushResult r = closeResult;
            return r != null ? r : result();
        }
        AuditFlushResult r;
        try {
            closeSubscription();
            flushFor(config.closeTimeout(), CLOSE_DEADLINE);
        } catch (StackInterruptedException e) {
            // the flag is set again: the writer still stops at once, and the result says what is not delivered
            LOG.warn("audit writer close interrupted while delivering; stopping now");
        } finally {
            r = closeNow();
        }
        if (!r.isComplete()) {
            LOG.warn(
                    "audit writer closed with {} events spooled and {} neither acknowledged nor on disk (state {});"
                            + " the next writer on {} delivers the spooled ones",
                    r.spooled(),
                    r.unsafe(),
                    r.state(),
                    config.spoolDirectory());
        }
        return r;
    }

    private void closeSubscription() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                // removing a subscriber cannot fail
            }
        }
        Thread hook = shutdownHook;
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down
            }
        }
    }

    private AuditFlushResult closeNow() {
        stop = true;
        sender.stop();
        requestWake();
        boolean interrupted = false;
        if (!workerDone && Thread.currentThread() != thread) {
            // the thread forces what it holds and stops; an interrupt or the deadline leaves it to finish on its own
            // (it then releases the spool itself)
            Deadline deadline = Deadline.start(WORKER_STOP_DEADLINE, WORKER_STOP_WAIT, clock, scheduler, this::signal);
            lock.lock();
            try {
                while (!workerDone && !deadline.isOver()) {
                    progress.awaitNanos(deadline.sleepNanos());
                }
            } catch (InterruptedException e) {
                interrupted = true;
            } finally {
                lock.unlock();
                deadline.close();
            }
            if (!workerDone && !interrupted) {
                LOG.warn(
                        "the audit writer's thread did not stop within {}; it releases the spool when it does",
                        deadline.describe());
            }
        }
        AuditFlushResult r = result();
        AuditDeliveryState finalState = state == AuditDeliveryState.DELIVERING || state == AuditDeliveryState.RETRYING
                ? AuditDeliveryState.CLOSED
                : state;
        r = new AuditFlushResult(r.acknowledged(), r.spooled(), r.unsafe(), r.rejected(), finalState);
        if (workerDone) {
            spool.close();
        }
        state = finalState;
        closeResult = r;
        signal();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    /**
     * Returns what the spool found at start (for tests and diagnostics).
     *
     * @return the recovery report
     */
    public Spool.Recovery recovery() {
        return spool.recovery();
    }

    /**
     * Returns how many times the writer forced its spool to disk (for tests and diagnostics).
     *
     * @return the count
     */
    public long spoolForces() {
        return spool.forces();
    }

    /**
     * Tests only: runs {@code hook} on the writer's thread after each event reaches the spool, in the middle of a
     * drain (a test blocks it there to look at the writer between two steps).
     *
     * @param hook the hook, or null for none
     */
    void afterAppendForTest(@Nullable Runnable hook) {
        worker.afterAppend(hook);
    }

    @Override
    public String toString() {
        return "AuditWriter{spool=" + config.spoolDirectory() + ", state=" + state + ", queued=" + queueDepth()
                + ", lastSeq=" + spool.lastSeq() + ", ackedSeq=" + spool.ackedSeq() + '}';
    }
}
