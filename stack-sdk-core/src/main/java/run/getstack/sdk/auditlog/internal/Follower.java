package run.getstack.sdk.auditlog.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditEntryListener;
import run.getstack.sdk.auditlog.AuditFollower;
import run.getstack.sdk.auditlog.AuditTailOptions;
import run.getstack.sdk.internal.follow.PollLoop;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/**
 * Internal, not for public use. The listener form of the tail: a {@link TailPoller} step (which owns the watermark)
 * on the client's one {@link PollLoop}.
 */
final class Follower implements AuditFollower {
    private static final String TASK = "stack-audit-follow";

    private final TailPoller poller;
    private final AuditTailOptions options;
    private final AuditEntryListener listener;
    private final PollLoop loop;

    Follower(DefaultAuditLog log, AuditTailOptions options, AuditEntryListener listener, TaskScheduler scheduler) {
        this.poller = new TailPoller(log, options);
        this.options = options;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.loop = new PollLoop(
                TASK,
                scheduler,
                this::poll,
                (e, next) -> PollLoop.callListener("audit entry listener", () -> listener.onError(e)),
                options.pollInterval());
    }

    void start() {
        loop.start();
    }

    private Duration poll() {
        List<AuditEntry> fresh = poller.poll(
                (after, oldest) -> PollLoop.callListener("audit entry listener", () -> listener.onGap(after, oldest)));
        for (AuditEntry e : fresh) {
            if (!loop.isRunning()) {
                break;
            }
            PollLoop.callListener("audit entry listener", () -> listener.onEntry(e));
        }
        return options.pollInterval();
    }

    @Override
    public long watermarkMillis() {
        return poller.watermark();
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return "AuditFollower{" + options + ", running=" + isRunning() + ", watermark=" + poller.watermark() + '}';
    }
}
