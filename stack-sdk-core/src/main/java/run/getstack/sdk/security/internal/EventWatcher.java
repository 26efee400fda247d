package run.getstack.sdk.security.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.security.SecurityEvent;
import run.getstack.sdk.security.SecurityEventListener;
import run.getstack.sdk.security.SecurityEventQuery;
import run.getstack.sdk.security.SecurityEventWatch;
import run.getstack.sdk.security.SecurityEventWatcher;

/**
 * Internal, not for public use. Follows new security events by polling the newest-first list back to a watermark.
 *
 * <p>The list has no {@code since} parameter, so the watermark is the creation time of the newest event seen plus
 * the ids of the events that share that instant (several events can be raised in the same millisecond). A poll
 * reads pages from the newest event until it meets an event older than the watermark or one already seen at it,
 * collects at most {@code maxEventsPerPoll} new events, and delivers them oldest first. Resolved events are listed
 * too, so an event resolved between two polls is still delivered. Memory: one page, the collected events, and at
 * most {@value #MAX_IDS_AT_WATERMARK} ids.
 */
final class EventWatcher implements SecurityEventWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EventWatcher.class);

    /** The most ids remembered at the watermark's instant (the oldest are forgotten first). */
    static final int MAX_IDS_AT_WATERMARK = 10_000;

    private static final int PAGE_SIZE = 100;

    private final DefaultSecurityEvents events;
    private final TaskScheduler scheduler;
    private final SecurityEventWatch options;
    private final SecurityEventListener listener;
    private final SecurityEventQuery query;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean running = true;
    private volatile @Nullable Instant watermark;
    private final Set<String> idsAtWatermark = new LinkedHashSet<>();
    private boolean first = true;
    private TaskScheduler.@Nullable Cancellable next;

    EventWatcher(
            DefaultSecurityEvents events,
            TaskScheduler scheduler,
            SecurityEventWatch options,
            SecurityEventListener listener) {
        this.events = events;
        this.scheduler = scheduler;
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        SecurityEventQuery q =
                SecurityEventQuery.unresolved().includeResolved(true).pageSize(PAGE_SIZE);
        String agent = options.agentId();
        this.query = agent == null ? q : q.agentId(agent);
    }

    void start() {
        lock.lock();
        try {
            next = scheduler.submit("stack-security-event-watch", this::poll);
        } finally {
            lock.unlock();
        }
    }

    private void poll() {
        if (!running) {
            return;
        }
        try {
            pollOnce();
        } catch (StackException e) {
            if (Thread.currentThread().isInterrupted() || !running) {
                return;
            }
            try {
                listener.onError(e);
            } catch (RuntimeException le) {
                LOG.warn(
                        "security event listener failed in onError: {}",
                        le.getClass().getName());
            }
        }
        lock.lock();
        try {
            if (running) {
                next = scheduler.schedule("stack-security-event-watch", options.pollInterval(), this::poll);
            }
        } catch (IllegalStateException closed) {
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** One poll: walk newest first back to the watermark, then deliver oldest first. */
    void pollOnce() {
        Instant wm = watermark;
        boolean deliver = !first || options.includeExisting();
        int cap = options.maxEventsPerPoll();
        List<SecurityEvent> fresh = new ArrayList<>();
        Instant newest = null;
        Set<String> idsAtNewest = new LinkedHashSet<>();
        boolean truncated = false;
        walk:
        for (int page = 1; ; page++) {
            List<SecurityEvent> batch = events.page(query, page);
            for (SecurityEvent e : batch) {
                Instant at = e.createdAt();
                if (wm != null && (at.isBefore(wm) || (at.equals(wm) && idsAtWatermark.contains(e.id())))) {
                    break walk;
                }
                if (newest == null || at.isAfter(newest)) {
                    newest = at;
                    idsAtNewest.clear();
                }
                if (at.equals(newest) && idsAtNewest.size() < MAX_IDS_AT_WATERMARK) {
                    idsAtNewest.add(e.id());
                }
                if (!deliver) {
                    // first poll without history: only the events at the newest instant matter (the watermark)
                    if (at.isBefore(newest)) {
                        break walk;
                    }
                    continue;
                }
                if (fresh.size() >= cap) {
                    truncated = true;
                    break walk;
                }
                fresh.add(e);
            }
            if (batch.size() < query.pageSize()) {
                break;
            }
        }
        first = false;
        if (newest != null) {
            if (wm == null || newest.isAfter(wm)) {
                watermark = newest;
                idsAtWatermark.clear();
            }
            for (String id : idsAtNewest) {
                remember(id);
            }
        }
        for (int i = fresh.size() - 1; i >= 0 && running; i--) {
            try {
                listener.onEvent(fresh.get(i));
            } catch (RuntimeException le) {
                LOG.warn(
                        "security event listener failed in onEvent: {}",
                        le.getClass().getName());
            }
        }
        if (truncated && running) {
            try {
                listener.onGap(fresh.size());
            } catch (RuntimeException le) {
                LOG.warn(
                        "security event listener failed in onGap: {}",
                        le.getClass().getName());
            }
        }
    }

    private void remember(String id) {
        if (idsAtWatermark.add(id) && idsAtWatermark.size() > MAX_IDS_AT_WATERMARK) {
            Iterator<String> it = idsAtWatermark.iterator();
            it.next();
            it.remove();
        }
    }

    @Override
    public Optional<Instant> watermark() {
        return Optional.ofNullable(watermark);
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
        return "SecurityEventWatcher{" + options + ", running=" + isRunning() + ", watermark=" + watermark + '}';
    }
}
