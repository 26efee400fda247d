package run.getstack.sdk.auditlog.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackException;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditEntryListener;
import run.getstack.sdk.auditlog.AuditFollower;
import run.getstack.sdk.auditlog.AuditTailOptions;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/** Internal, not for public use. The listener form of the tail, polling on the client's scheduler. */
final class Follower implements AuditFollower {
    private static final Logger LOG = LoggerFactory.getLogger(Follower.class);
    private static final String TASK = "stack-audit-follow";

    private final TailPoller poller;
    private final AuditTailOptions options;
    private final AuditEntryListener listener;
    private final TaskScheduler scheduler;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean running = true;
    private TaskScheduler.@Nullable Cancellable next;

    Follower(DefaultAuditLog log, AuditTailOptions options, AuditEntryListener listener, TaskScheduler scheduler) {
        this.poller = new TailPoller(log, options);
        this.options = options;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.scheduler = scheduler;
    }

    void start() {
        lock.lock();
        try {
            next = scheduler.submit(TASK, this::poll);
        } finally {
            lock.unlock();
        }
    }

    private void poll() {
        if (!running) {
            return;
        }
        try {
            List<AuditEntry> fresh = poller.poll((after, oldest) -> call(() -> listener.onGap(after, oldest)));
            for (AuditEntry e : fresh) {
                if (!running) {
                    break;
                }
                call(() -> listener.onEntry(e));
            }
        } catch (StackException e) {
            if (Thread.currentThread().isInterrupted() || !running) {
                return;
            }
            call(() -> listener.onError(e));
        }
        lock.lock();
        try {
            if (running) {
                next = scheduler.schedule(TASK, options.pollInterval(), this::poll);
            }
        } catch (IllegalStateException closed) {
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("audit entry listener failed: {}", e.getClass().getName());
        }
    }

    @Override
    public long watermarkMillis() {
        return poller.watermark();
    }

    @Override
    public boolean isRunning() {
        return running && !scheduler.isClosed();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            TaskScheduler.Cancellable n = next;
            if (n != null) {
                n.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "AuditFollower{" + options + ", running=" + isRunning() + ", watermark=" + poller.watermark() + '}';
    }
}
