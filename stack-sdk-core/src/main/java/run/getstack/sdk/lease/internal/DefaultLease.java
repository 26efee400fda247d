package run.getstack.sdk.lease.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.credential.CredentialValue;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.StackLeaseExpiredException;
import run.getstack.sdk.lease.StackLeaseRevokedException;

/** One hold on a {@link Grant}. */
final class DefaultLease implements Lease {
    final Grant grant;
    private final DefaultLeases manager;
    private final AtomicBoolean closed = new AtomicBoolean();

    DefaultLease(Grant grant, DefaultLeases manager) {
        this.grant = grant;
        this.manager = manager;
    }

    @Override
    public String provider() {
        return grant.provider;
    }

    @Override
    public @Nullable String connectionId() {
        return grant.connectionId;
    }

    @Override
    public String fingerprint() {
        return grant.fingerprint;
    }

    @Override
    public String passportJti() {
        return grant.passportJti;
    }

    @Override
    public Instant issuedAt() {
        return grant.issuedAt;
    }

    @Override
    public Instant expiresAt() {
        return grant.expiresAt;
    }

    @Override
    public Instant maxExpiresAt() {
        return grant.maxExpiresAt;
    }

    @Override
    public boolean renewable() {
        return grant.renewable && !grant.local;
    }

    @Override
    public boolean isLocal() {
        return grant.local;
    }

    @Override
    public boolean isLive() {
        return !closed.get() && grant.ended == null && manager.now().isBefore(grant.localExpiry);
    }

    @Override
    public CredentialValue value() {
        if (closed.get()) {
            throw new StackLeaseRevokedException(
                    "lease " + grant.fingerprint + " (" + grant.provider + "): this hold was closed",
                    StackLeaseRevokedException.Why.CLOSED,
                    null);
        }
        StackLeaseRevokedException.Why why = grant.ended;
        if (why != null) {
            throw new StackLeaseRevokedException(
                    "lease " + grant.fingerprint + " (" + grant.provider + ") ended: " + why, why, null);
        }
        Instant expiry = grant.localExpiry;
        if (!manager.now().isBefore(expiry)) {
            throw new StackLeaseExpiredException("lease " + grant.fingerprint + " (" + grant.provider + ") expired at "
                    + grant.expiresAt + "; it is never served after expiry");
        }
        return grant.value;
    }

    @Override
    public Secret secret() {
        return value().secret();
    }

    @Override
    public Lease invalidate() {
        return manager.invalidate(this);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            manager.dropHold(grant);
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public String toString() {
        return "Lease{lease=" + grant.fingerprint + ", provider=" + grant.provider
                + (grant.connectionId == null ? "" : ", connectionId=" + grant.connectionId) + ", passportJti="
                + grant.passportJti + ", issuedAt=" + grant.issuedAt + ", expiresAt=" + grant.expiresAt
                + ", maxExpiresAt=" + grant.maxExpiresAt + ", renewable=" + renewable() + ", local=" + grant.local
                + (closed.get() ? ", closed" : grant.ended != null ? ", ended=" + grant.ended : "") + '}';
    }
}
