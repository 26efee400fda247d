package run.getstack.sdk.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final AuditConfig config;
    private final Clock clock;
    private final Spool spool;
    private final AuditWorker worker;
    private final AuditSender sender;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
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
    private volatile boolean stop;
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
        recorded.increment();
        if (done != null) {
            requestWake();
            awaitDurable(done, event);
        } else if (depth == wakeAt) {
            requestWake();
        }
    }

    private int offer(Pending p, AuditEvent event) {
        int depth = queued.incrementAndGet();
        if (depth <= capacity) {
            queue.offer(p);
            return depth;
        }
        queued.decrementAndGet();
        long deadline = System.nanoTime() + config.fullWait().toNanos();
        waitingForSpace.incrementAndGet();
        lock.lock();
        try {
            while (true) {
                depth = queued.incrementAndGet();
                if (depth <= capacity) {
                    queue.offer(p);
                    return depth;
                }
                queued.decrementAndGet();
                requestWake();
                long left = deadline - System.nanoTime();
                if (left <= 0 || stop || spoolFailure != null) {
                    boolean disk = spoolFull;
                    throw new StackAuditFullException(
                            (disk
                                            ? "the audit spool's disk budget (" + config.diskBudgetBytes()
                                                    + " bytes) is used up by events the control plane has not"
                                                    + " acknowledged"
                                            : "the audit queue (" + capacity + " events) is full")
                                    + "; waited " + config.fullWait() + "; " + event.action() + " was not recorded",
                            disk
                                    ? StackAuditFullException.Reason.SPOOL_FULL
                                    : StackAuditFullException.Reason.QUEUE_FULL);
                }
                progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for room in the audit writer; " + event.action() + " was not recorded",
                    null,
                    e);
        } finally {
            lock.unlock();
            waitingForSpace.decrementAndGet();
        }
    }

    private void awaitDurable(CompletableFuture<Void> done, AuditEvent event) {
        try {
            done.get(config.fullWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for " + event.action() + " to reach the disk (it is queued)", null, e);
        } catch (ExecutionException e) {
            throw new StackAuditException(
                    "the audit spool failed before " + event.action() + " reached the disk", e.getCause());
        } catch (TimeoutException e) {
            throw new StackAuditException(
                    event.action() + " did not reach the disk within " + config.fullWait() + " (it is queued)", e);
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
        }
    }

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
        spoolFull = full;
    }

    void spooledOne() {
        spooled.incrementAndGet();
    }

    void signalSpace() {
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
        return flushUntil(System.nanoTime() + Math.min(timeout.toNanos(), TimeUnit.HOURS.toNanos(1)));
    }

    private AuditFlushResult flushUntil(long deadline) {
        long target = startSeq + recorded.sum();
        flushing.incrementAndGet();
        try {
            requestWake();
            lock.lock();
            try {
                // first: every event recorded before this call is on disk (or the spool cannot take it)
                while (forcedSeq.get() < target
                        && !(spoolFull && forcedSeq.get() >= spool.lastSeq())
                        && spoolFailure == null
                        && !stoppedWorker()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return result();
                    }
                    progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)));
                    requestWake();
                }
                long attemptsBefore = attempts.get();
                sender.flushNow();
                // then: delivered, until the control plane has it all, a delivery fails, or the time is up
                while (spool.ackedSeq() < target
                        && state != AuditDeliveryState.NOT_SUPPORTED
                        && lastFailedAttempt.get() <= attemptsBefore) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    progress.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
                    if (spool.ackedSeq() < target && !sender.isRunning()) {
                        sender.flushNow();
                    }
                }
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while flushing the audit writer", null, e);
        } finally {
            flushing.decrementAndGet();
        }
        return result();
    }

    private boolean stoppedWorker() {
        return !thread.isAlive();
    }

    private AuditFlushResult result() {
        long acked = spool.ackedSeq();
        long forced = forcedSeq.get();
        long last = spool.lastSeq();
        long spooledNow = Math.max(0, forced - acked);
        long unsafe = queueDepth() + worker.heldCount() + Math.max(0, last - Math.max(forced, acked));
        return new AuditFlushResult(acknowledged.get(), spooledNow, unsafe, rejected.get(), state);
    }

    @Override
    public AuditStats stats() {
        Map<String, Long> byCode = new java.util.TreeMap<>();
        rejectedByCode.forEach((k, v) -> byCode.put(k, v.sum()));
        long acked = spool.ackedSeq();
        long unacked = Math.max(0, spool.lastSeq() - acked) + queueDepth() + worker.heldCount();
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
                recorded.sum(),
                sent.get(),
                acknowledged.get(),
                spooled.get(),
                replayed.get(),
                rejected.get(),
                byCode,
                0,
                queueDepth(),
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
            flushUntil(System.nanoTime() + config.closeTimeout().toNanos());
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
        while (thread.isAlive()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
                if (thread.isAlive()) {
                    LOG.warn("the audit writer's thread did not stop within 30 s; leaving it");
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        AuditFlushResult r = result();
        AuditDeliveryState finalState = state == AuditDeliveryState.DELIVERING || state == AuditDeliveryState.RETRYING
                ? AuditDeliveryState.CLOSED
                : state;
        r = new AuditFlushResult(r.acknowledged(), r.spooled(), r.unsafe(), r.rejected(), finalState);
        if (!thread.isAlive()) {
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

    @Override
    public String toString() {
        return "AuditWriter{spool=" + config.spoolDirectory() + ", state=" + state + ", queued=" + queueDepth()
                + ", lastSeq=" + spool.lastSeq() + ", ackedSeq=" + spool.ackedSeq() + '}';
    }
}
