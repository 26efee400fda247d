package run.getstack.sdk.lease.internal;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.cache.RefreshAheadCache;
import run.getstack.sdk.lease.LeaseRequest;

/** One leased credential (a {@link LeaseRequest} without its purpose): the cache of its current grant. */
final class LeaseEntry {
    final LeaseRequest request;
    /** Set once by the manager right after construction. */
    private @Nullable RefreshAheadCache<Grant> cache;
    /** Serialises {@link DefaultLeases#invalidate} per credential, so one refusal gives one replacement. */
    final ReentrantLock invalidateLock = new ReentrantLock();

    LeaseEntry(LeaseRequest request) {
        this.request = Objects.requireNonNull(request, "request");
    }

    void cache(RefreshAheadCache<Grant> c) {
        this.cache = c;
    }

    RefreshAheadCache<Grant> cache() {
        return Objects.requireNonNull(cache, "cache");
    }

    @Override
    public String toString() {
        return "LeaseEntry{" + request + '}';
    }
}
