package run.getstack.sdk.lease.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.credential.CredentialValue;
import run.getstack.sdk.lease.StackLeaseRevokedException;

/**
 * One lease granted by the control plane (or a local one), shared by every hold on it. Holds are counted: {@code
 * holders} is -1 once the grant ended (released, revoked, client closed), and never rises again. The raw lease id is
 * kept only to renew and release it; everything printable uses {@link #fingerprint}.
 */
final class Grant {
    final LeaseEntry entry;
    private final @Nullable String leaseId;
    final String fingerprint;
    final String provider;
    final @Nullable String connectionId;
    final String passportJti;
    final Instant issuedAt;
    final Instant maxExpiresAt;
    final boolean local;
    final CredentialValue value;

    /** The control plane's expiry, as last renewed. */
    volatile Instant expiresAt;
    /** The expiry on this client's clock: receive time + the granted seconds (immune to clock skew). */
    volatile Instant localExpiry;
    /** The ceiling on this client's clock. */
    volatile Instant localMaxExpiry;

    volatile boolean renewable;
    /** Set once the grant ended; why. */
    volatile StackLeaseRevokedException.@Nullable Why ended;
    /** The replacement acquired by {@link DefaultLeases#invalidate}, so that it happens once. */
    volatile @Nullable Grant replacement;

    private final AtomicInteger holders = new AtomicInteger();

    Grant(
            LeaseEntry entry,
            @Nullable String leaseId,
            String fingerprintSource,
            String provider,
            @Nullable String connectionId,
            String passportJti,
            Instant issuedAt,
            Instant expiresAt,
            Instant maxExpiresAt,
            Instant localExpiry,
            Instant localMaxExpiry,
            boolean renewable,
            boolean local,
            CredentialValue value) {
        this.entry = entry;
        this.leaseId = leaseId;
        this.fingerprint = fingerprint(fingerprintSource);
        this.provider = Objects.requireNonNull(provider, "provider");
        this.connectionId = connectionId;
        this.passportJti = passportJti;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.maxExpiresAt = maxExpiresAt;
        this.localExpiry = localExpiry;
        this.localMaxExpiry = localMaxExpiry;
        this.renewable = renewable;
        this.local = local;
        this.value = value;
    }

    /** The raw lease id, for the renew and release paths only; null for a local lease. */
    @Nullable
    String leaseId() {
        return leaseId;
    }

    /** Adds a hold unless the grant ended. */
    boolean retain() {
        while (true) {
            int c = holders.get();
            if (c < 0 || ended != null) {
                return false;
            }
            if (holders.compareAndSet(c, c + 1)) {
                return true;
            }
        }
    }

    /**
     * Drops a hold.
     *
     * @return true when it was the last hold and this call ended the grant (the caller releases it)
     */
    boolean dropHold() {
        return holders.decrementAndGet() == 0 && endIfUnheld(StackLeaseRevokedException.Why.RELEASED);
    }

    /** Ends the grant if nobody holds it. */
    boolean endIfUnheld(StackLeaseRevokedException.Why why) {
        if (holders.compareAndSet(0, -1)) {
            ended = why;
            value.close();
            return true;
        }
        return false;
    }

    /** Ends the grant whoever holds it (revocation, checkout, client close): the value is zeroed at once. */
    boolean endNow(StackLeaseRevokedException.Why why) {
        if (holders.getAndSet(-1) < 0) {
            return false;
        }
        ended = why;
        value.close();
        return true;
    }

    int holders() {
        return holders.get();
    }

    static String fingerprint(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Grant{lease=" + fingerprint + ", provider=" + provider + ", expiresAt=" + expiresAt + ", local=" + local
                + ", ended=" + ended + '}';
    }
}
