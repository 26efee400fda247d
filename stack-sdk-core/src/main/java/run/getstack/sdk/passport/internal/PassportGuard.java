package run.getstack.sdk.passport.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * Internal, not for public use. What this client knows about passport states without asking the server: which
 * jtis it checked out or saw revoked. Every resource that presents a passport (credentials, leases, proxy) calls
 * {@link #requireUsable(Passport)} before sending anything. Also relays state changes to listeners (the agent's own
 * passport holder). Thread-safe; entries are dropped once their passport has expired.
 */
public final class PassportGuard {
    /** Internal, not for public use. Hears about state changes of passports. */
    public interface Listener {
        /**
         * A passport was checked out.
         *
         * @param jti its id
         */
        void checkedOut(String jti);

        /**
         * A passport was revoked.
         *
         * @param jti its id
         */
        void revoked(String jti);

        /**
         * Every live passport of an agent was revoked.
         *
         * @param agentId the agent
         */
        void agentRevoked(String agentId);

        /**
         * A checkpoint returned the passport re-signed with a new expiry.
         *
         * @param passport the re-signed passport
         * @param localExpiry its expiry on the client's clock
         */
        void resigned(Passport passport, Instant localExpiry);
    }

    private static final int PURGE_THRESHOLD = 1024;

    private final Clock clock;
    private final Map<String, Instant> checkedOut = new ConcurrentHashMap<>();
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * Creates a guard.
     *
     * @param clock the client's clock
     */
    public PassportGuard(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Adds a listener.
     *
     * @param listener the listener
     */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Fails, without I/O, if the passport must not be presented.
     *
     * @param passport the passport
     * @throws StackPassportCheckedOutException if this client checked it out
     * @throws StackPassportRevokedException if this client saw it revoked
     * @throws StackPassportExpiredException if it has expired on the client's clock
     */
    public void requireUsable(Passport passport) {
        requireNotCheckedOut(passport);
        if (revoked.containsKey(passport.jti())) {
            throw new StackPassportRevokedException(
                    "passport " + passport.jti() + " was revoked; it is not presented again",
                    0,
                    "PASSPORT_REVOKED",
                    null,
                    null,
                    null,
                    null);
        }
        if (!clock.instant().isBefore(passport.expiresAt())) {
            throw new StackPassportExpiredException(
                    "passport " + passport.jti() + " expired at " + passport.expiresAt() + "; it is not presented",
                    0,
                    "PASSPORT_EXPIRED",
                    null,
                    null,
                    null,
                    null);
        }
    }

    /**
     * Fails, without I/O, if this client checked the passport out.
     *
     * @param passport the passport
     * @throws StackPassportCheckedOutException if so
     */
    public void requireNotCheckedOut(Passport passport) {
        if (checkedOut.containsKey(passport.jti())) {
            throw new StackPassportCheckedOutException(
                    "passport " + passport.jti() + " was checked out; the client refuses to present it again",
                    0,
                    "PASSPORT_CHECKED_OUT",
                    null,
                    null,
                    null,
                    null);
        }
    }

    /**
     * Records a checkout and tells the listeners.
     *
     * @param passport the passport
     */
    public void markCheckedOut(Passport passport) {
        purge();
        checkedOut.put(passport.jti(), passport.expiresAt());
        listeners.forEach(l -> l.checkedOut(passport.jti()));
    }

    /**
     * Records a revocation and tells the listeners.
     *
     * @param jti the passport's id
     * @param expiresAt its expiry if known, else a time after which the entry may be dropped
     */
    public void markRevoked(String jti, Instant expiresAt) {
        purge();
        revoked.put(jti, expiresAt);
        listeners.forEach(l -> l.revoked(jti));
    }

    /**
     * Tells the listeners that every live passport of an agent was revoked (they know which jtis they hold).
     *
     * @param agentId the agent
     */
    public void markAgentRevoked(String agentId) {
        listeners.forEach(l -> l.agentRevoked(agentId));
    }

    /**
     * Relays a re-signed passport.
     *
     * @param passport the passport
     * @param localExpiry its expiry on the client's clock
     */
    public void resigned(Passport passport, Instant localExpiry) {
        listeners.forEach(l -> l.resigned(passport, localExpiry));
    }

    private void purge() {
        if (checkedOut.size() + revoked.size() < PURGE_THRESHOLD) {
            return;
        }
        Instant now = clock.instant();
        checkedOut.values().removeIf(exp -> exp.isBefore(now));
        revoked.values().removeIf(exp -> exp.isBefore(now));
    }
}
