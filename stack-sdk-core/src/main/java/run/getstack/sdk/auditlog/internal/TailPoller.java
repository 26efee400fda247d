package run.getstack.sdk.auditlog.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditQuery;
import run.getstack.sdk.auditlog.AuditQueryResult;
import run.getstack.sdk.auditlog.AuditTailOptions;

/**
 * Internal, not for public use. The watermark logic shared by the tail iterator and the follower: poll {@code GET
 * /v1/audit} with {@code since} at the newest entry seen, as STACK's {@code monitor --follow} does, with one fix:
 * {@code since} is exclusive and entries share milliseconds, so an entry appended in the same millisecond as the
 * watermark after a poll would be lost. The poller therefore asks from one millisecond earlier and drops the
 * entries at the watermark it has already delivered (it remembers their ids, at most {@value #MAX_IDS}). Not
 * thread-safe: one poll at a time.
 */
final class TailPoller {
    static final int MAX_IDS = 10_000;

    /** Hears a poll that came back full. */
    interface GapListener {
        void gap(long afterMillis, long oldestDeliveredMillis);
    }

    private final DefaultAuditLog log;
    private final AuditTailOptions options;
    private final Set<String> idsAtWatermark = new LinkedHashSet<>();
    private volatile long watermark;
    private boolean started;
    private boolean boundaryKnown;

    TailPoller(DefaultAuditLog log, AuditTailOptions options) {
        this.log = log;
        this.options = options;
    }

    long watermark() {
        return watermark;
    }

    /**
     * Polls once.
     *
     * @param gaps told when the poll came back full
     * @return the new entries, oldest first
     */
    List<AuditEntry> poll(GapListener gaps) {
        if (!started) {
            started = true;
            if (options.startAfterMillis() < 0) {
                AuditQueryResult first = log.query(query(0));
                advance(first.entries());
                return List.of();
            }
            watermark = options.startAfterMillis();
        }
        long since = boundaryKnown ? Math.max(0, watermark - 1) : watermark;
        AuditQueryResult r = log.query(query(since));
        List<AuditEntry> fresh = new ArrayList<>(r.entries().size());
        long wm = watermark;
        for (AuditEntry e : r.entries()) {
            long t = e.timestampMillis();
            if (t < wm || (t == wm && (!boundaryKnown || idsAtWatermark.contains(e.entryId())))) {
                continue;
            }
            fresh.add(e);
        }
        if (r.entries().size() >= AuditQuery.MAX_LIMIT && !fresh.isEmpty()) {
            long oldest = fresh.get(fresh.size() - 1).timestampMillis();
            gaps.gap(wm, oldest);
        }
        advance(fresh);
        List<AuditEntry> oldestFirst = new ArrayList<>(fresh.size());
        for (int i = fresh.size() - 1; i >= 0; i--) {
            oldestFirst.add(fresh.get(i));
        }
        return oldestFirst;
    }

    private AuditQuery query(long since) {
        AuditQuery q = AuditQuery.newest().limit(AuditQuery.MAX_LIMIT).since(since);
        String agent = options.agentId();
        if (agent != null) {
            q = q.agentId(agent);
        }
        String jti = options.passportJti();
        if (jti != null) {
            q = q.passportJti(jti);
        }
        return q;
    }

    /** Moves the watermark to the newest of {@code entries} (newest first) and remembers the ids at it. */
    private void advance(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long newest = entries.get(0).timestampMillis();
        for (AuditEntry e : entries) {
            newest = Math.max(newest, e.timestampMillis());
        }
        if (newest > watermark || !boundaryKnown) {
            idsAtWatermark.clear();
        }
        watermark = Math.max(watermark, newest);
        boundaryKnown = true;
        for (AuditEntry e : entries) {
            if (e.timestampMillis() == watermark
                    && idsAtWatermark.add(e.entryId())
                    && idsAtWatermark.size() > MAX_IDS) {
                Iterator<String> it = idsAtWatermark.iterator();
                it.next();
                it.remove();
            }
        }
    }
}
