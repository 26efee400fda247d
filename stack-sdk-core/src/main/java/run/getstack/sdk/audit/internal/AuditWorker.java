package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.audit.AuditDurability;
import run.getstack.sdk.audit.AuditEvent;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. The body of the writer's own thread ({@code stack-audit-writer}): takes events from
 * the queue in order, gives each its id, {@code client_seq} and hash, appends it to the spool, forces the spool per
 * the durability policy, and tells the sender. The only thread that chains and appends, so the chain order is the
 * order in which {@code record()} calls queued their events.
 */
final class AuditWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWorker.class);
    private static final int DRAIN_MAX = 4096;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DefaultAuditWriter w;
    private final Spool spool;
    private final String agentId;
    private final AuditDurability durability;
    private final Duration groupCommitInterval;
    private final TaskScheduler scheduler;
    private final ClientChain chain = new ClientChain();
    private final CanonicalJson payload = new CanonicalJson(1024);
    private final List<Map.Entry<Long, CompletableFuture<Void>>> waiting = new ArrayList<>();
    private volatile @Nullable Pending held;
    private boolean unforced;

    /** Tests only: runs on this thread after each event reaches the spool, in the middle of a drain. */
    private volatile @Nullable Runnable afterAppend;

    /**
     * Set by the group-commit task on the client's scheduler to its own generation: the interval since the first
     * unforced write is over. A generation, not a flag, so that a task that fires after a force (which cancels it) is
     * ignored.
     */
    private volatile long commitDue;

    private TaskScheduler.@Nullable Cancellable commit;
    private long commitGeneration;
    private boolean commitScheduled;

    AuditWorker(
            DefaultAuditWriter w,
            Spool spool,
            String agentId,
            AuditDurability durability,
            Duration interval,
            TaskScheduler scheduler) {
        this.w = w;
        this.spool = spool;
        this.agentId = agentId;
        this.durability = durability;
        this.groupCommitInterval = interval;
        this.scheduler = scheduler;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (IOException | RuntimeException e) {
            LOG.error(
                    "the audit spool failed ({}); record() fails from now on",
                    e.getClass().getName());
            w.spoolFailed(e);
            failWaiting(e);
        } finally {
            w.workerStopped();
        }
    }

    private void loop() throws IOException {
        try {
            while (true) {
                boolean stopping = w.stopRequested();
                int n = drain();
                spool.flushWrites();
                if (n > 0) {
                    unforced = true;
                    if (durability == AuditDurability.NONE) {
                        w.sender().onWritten();
                    }
                }
                boolean forceNow = unforced
                        && (w.forceRequested()
                                || !waiting.isEmpty()
                                || durability == AuditDurability.SYNC
                                || (durability == AuditDurability.GROUP_COMMIT
                                        && commitScheduled
                                        && commitDue == commitGeneration)
                                || stopping);
                if (forceNow) {
                    force();
                } else if (unforced && durability == AuditDurability.GROUP_COMMIT) {
                    scheduleCommit();
                }
                if (stopping && (held != null || w.queueDepth() == 0)) {
                    if (unforced) {
                        force();
                    }
                    return;
                }
                // idle: the next record() batch, a flush, a durable event or the group commit wakes the thread; the
                // park's bound only picks up events recorded below a batch (record() wakes for a full one)
                if ((n == 0 || held != null) && !w.wakeRequested()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                }
            }
        } finally {
            cancelCommit();
        }
    }

    /**
     * Group commit: the first write after a force starts the interval on the client's scheduler (and clock); when it
     * is over the task wakes this thread, which forces. The force itself is real I/O on this thread.
     */
    private void scheduleCommit() {
        if (commitScheduled) {
            return;
        }
        long generation = ++commitGeneration;
        commitScheduled = true;
        try {
            commit = scheduler.schedule("stack-audit-group-commit", groupCommitInterval, () -> {
                commitDue = generation;
                w.requestWake();
            });
        } catch (IllegalStateException e) {
            commitDue = generation; // the client's scheduler is closed (the client is closing): force at once
        }
    }

    private void cancelCommit() {
        TaskScheduler.Cancellable c = commit;
        if (c != null) {
            c.cancel();
        }
        commit = null;
        commitScheduled = false;
    }

    private void force() throws IOException {
        cancelCommit();
        long covered = spool.force();
        unforced = false;
        w.forced(covered);
        if (durability != AuditDurability.NONE) {
            w.sender().onWritten(); // the sender hands out only what is on disk: now there is more
        }
        for (Map.Entry<Long, CompletableFuture<Void>> e : waiting) {
            e.getValue().complete(null);
        }
        waiting.clear();
    }

    /** Moves events from the queue to the spool; returns how many; stops when the disk budget has no room. */
    private int drain() throws IOException {
        int n = 0;
        int polled = 0;
        try {
            while (n < DRAIN_MAX) {
                Pending p = held;
                if (p == null) {
                    p = w.poll();
                    if (p == null) {
                        break;
                    }
                    polled++;
                }
                if (!append(p)) {
                    held = p;
                    w.spoolFull(true);
                    break;
                }
                held = null;
                w.spoolFull(false);
                n++;
                Runnable hook = afterAppend;
                if (hook != null) {
                    hook.run();
                }
            }
        } finally {
            w.taken(polled); // frees the slots and wakes a record() waiting for room
        }
        return n;
    }

    private boolean append(Pending p) throws IOException {
        AuditEvent e = p.event();
        long seq = spool.lastSeq() + 1;
        String prev = spool.lastHash();
        String id = UUID.randomUUID().toString();
        String jti = e.passportJti().orElse(w.currentPassportJti());
        String outcome = e.outcome().wireValue();
        String hash = chain.hash(id, p.timestamp(), agentId, jti, e.action(), outcome, seq, prev);
        payload.reset();
        payload.raw("{\"event_id\":")
                .string(id)
                .raw(",\"timestamp\":")
                .number(p.timestamp())
                .raw(",\"agent_id\":")
                .string(agentId);
        if (jti != null) {
            payload.raw(",\"passport_jti\":").string(jti);
        }
        payload.raw(",\"layer\":\"agent\",\"action\":")
                .string(e.action())
                .raw(",\"outcome\":")
                .string(outcome);
        Duration d = e.duration().orElse(null);
        if (d != null) {
            payload.raw(",\"duration_ms\":").number(d.toMillis());
        }
        if (!e.detail().isEmpty()) {
            payload.raw(",\"detail\":").detailObject(e.detail());
        }
        payload.raw(",\"client_seq\":")
                .number(seq)
                .raw(",\"client_prev_hash\":")
                .string(prev)
                .raw(",\"client_hash\":")
                .string(hash)
                .raw('}');
        if (!spool.append(seq, p.timestamp(), hash, payload.buffer(), 0, payload.length())) {
            return false;
        }
        w.spooledOne();
        CompletableFuture<Void> f = p.durable();
        if (f != null) {
            waiting.add(Map.entry(seq, f));
        }
        return true;
    }

    private void failWaiting(Throwable e) {
        for (Map.Entry<Long, CompletableFuture<Void>> f : waiting) {
            f.getValue().completeExceptionally(e);
        }
        waiting.clear();
        Pending p = held;
        if (p != null && p.durable() != null) {
            p.durable().completeExceptionally(e);
        }
    }

    /** Tests only: {@code hook} runs on this thread after each event reaches the spool, mid-drain; null: none. */
    void afterAppend(@Nullable Runnable hook) {
        afterAppend = hook;
    }
}
