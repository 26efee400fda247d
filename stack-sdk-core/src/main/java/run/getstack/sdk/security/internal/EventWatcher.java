package run.getstack.sdk.security.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.follow.PollLoop;
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
 * most {@value #MAX_IDS_AT_WATERMARK} ids. Runs on the client's one {@link PollLoop}.
 */
final class EventWatcher implements SecurityEventWatcher {
    /** The most ids remembered at the watermark's instant (the oldest are forgotten first). */
    static final int MAX_IDS_AT_WATERMARK = 10_000;

    private static final int PAGE_SIZE = 100;

    private final DefaultSecurityEvents events;
    private final SecurityEventWatch options;
    private final SecurityEventListener listener;
    private final SecurityEventQuery query;
    private final PollLoop loop;
    private volatile @Nullable Instant watermark;
    private final Set<String> idsAtWatermark = new LinkedHashSet<>();
    private boolean first = true;

    EventWatcher(
            DefaultSecurityEvents events,
            TaskScheduler scheduler,
            SecurityEventWatch options,
            SecurityEventListener listener) {
        this.events = events;
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.listener = java.util.Objects.requireNonNull(listener, "listener");
        SecurityEventQuery q =
                SecurityEventQuery.unresolved().includeResolved(true).pageSize(PAGE_SIZE);
        String agent = options.agentId();
        this.query = agent == null ? q : q.agentId(agent);
        this.loop = new PollLoop(
                "stack-security-event-watch",
                scheduler,
                this::poll,
                (e, next) -> PollLoop.callListener("security event listener (onError)", () -> this.listener.onError(e)),
                options.pollInterval());
    }

    void start() {
        loop.start();
    }

    private Duration poll() {
        pollOnce();
        return options.pollInterval();
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
        for (int i = fresh.size() - 1; i >= 0 && loop.isRunning(); i--) {
            SecurityEvent e = fresh.get(i);
            PollLoop.callListener("security event listener (onEvent)", () -> listener.onEvent(e));
        }
        int delivered = fresh.size();
        if (truncated && loop.isRunning()) {
            PollLoop.callListener("security event listener (onGap)", () -> listener.onGap(delivered));
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
        return loop.isRunning();
    }

    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return "SecurityEventWatcher{" + options + ", running=" + isRunning() + ", watermark=" + watermark + '}';
    }
}
