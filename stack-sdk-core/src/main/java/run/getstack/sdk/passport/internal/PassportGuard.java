package run.getstack.sdk.passport.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * Internal, not for public use. The one place this client records what it knows about passport states without
 * asking the server: which jtis ended (checked out or revoked), why, and through which event. Every resource that
 * presents a passport (credentials, leases, proxy, the agent's passport holder) consults {@link #requireUsable} or
 * {@link #requireNotEnded} before sending or serving anything, so a revoked or checked-out passport is refused
 * everywhere by the same check. A passport's first end wins and listeners are told once per jti. Thread-safe;
 * entries are dropped once their passport has expired.
 */
public final class PassportGuard {
    /** Internal, not for public use. A passport's state as this client knows it. */
    public enum State {
        /** Not known to have ended. */
        ACTIVE,
        /** Checked out by this client: the mission ended. */
        CHECKED_OUT,
        /** Revoked (directly, by a cascade or agent-wide). */
        REVOKED,
        /** Past its expiry on the client's clock. */
        EXPIRED
    }

    /**
     * Internal, not for public use. How a passport ended.
     *
     * @param state {@link State#CHECKED_OUT} or {@link State#REVOKED}
     * @param why a short reason, safe to log (no token material)
     * @param eventType the event that ended it, e.g. {@code passport.revoked}
     * @param forgetAfter when the entry may be dropped (the passport's expiry or later)
     */
    public record Ended(State state, String why, String eventType, Instant forgetAfter) {
        /** Validates the components. */
        public Ended {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(why, "why");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(forgetAfter, "forgetAfter");
        }
    }

    /** Event type of a checkout. */
    public static final String EVENT_CHECKED_OUT = "passport.checked_out";

    /** Event type of a revocation this client learned of (own call, server answer or feed). */
    public static final String EVENT_REVOKED = "passport.revoked";

    /** Internal, not for public use. Hears about state changes of passports, once per jti. */
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
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
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
     * Returns the passport's state as this client knows it (an ended state wins over expiry).
     *
     * @param passport the passport
     * @return its state
     */
    public State state(Passport passport) {
        Ended e = ended.get(passport.jti());
        if (e != null) {
            return e.state();
        }
        return clock.instant().isBefore(passport.expiresAt()) ? State.ACTIVE : State.EXPIRED;
    }

    /**
     * Returns how the passport ended, if this client knows it ended.
     *
     * @param jti the passport's id
     * @return how it ended, or empty
     */
    public Optional<Ended> ended(String jti) {
        return Optional.ofNullable(ended.get(jti));
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
        requireNotEnded(passport);
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
     * Fails, without I/O, if this client knows the passport was checked out or revoked.
     *
     * @param passport the passport
     * @throws StackPassportCheckedOutException if this client checked it out
     * @throws StackPassportRevokedException if this client saw it revoked
     */
    public void requireNotEnded(Passport passport) {
        Ended e = ended.get(passport.jti());
        if (e == null) {
            return;
        }
        if (e.state() == State.CHECKED_OUT) {
            throw new StackPassportCheckedOutException(
                    "passport " + passport.jti() + " was checked out; the client refuses to present it again",
                    0,
                    "PASSPORT_CHECKED_OUT",
                    null,
                    null,
                    null,
                    null);
        }
        throw new StackPassportRevokedException(
                "passport " + passport.jti() + " was revoked (" + e.why() + "); it is not presented again",
                0,
                "PASSPORT_REVOKED",
                null,
                null,
                null,
                null);
    }

    /**
     * Fails, without I/O, if this client checked the passport out.
     *
     * @param passport the passport
     * @throws StackPassportCheckedOutException if so
     */
    public void requireNotCheckedOut(Passport passport) {
        Ended e = ended.get(passport.jti());
        if (e != null && e.state() == State.CHECKED_OUT) {
            requireNotEnded(passport);
        }
    }

    /**
     * Records a checkout and, the first time the passport ends, tells the listeners.
     *
     * @param passport the passport
     */
    public void markCheckedOut(Passport passport) {
        if (record(
                passport.jti(), new Ended(State.CHECKED_OUT, "checked out", EVENT_CHECKED_OUT, passport.expiresAt()))) {
            listeners.forEach(l -> l.checkedOut(passport.jti()));
        }
    }

    /**
     * Records a revocation and, the first time the passport ends, tells the listeners.
     *
     * @param jti the passport's id
     * @param expiresAt its expiry if known, else a time after which the entry may be dropped
     */
    public void markRevoked(String jti, Instant expiresAt) {
        markRevoked(jti, expiresAt, "revoked");
    }

    /**
     * Records a revocation with its reason and, the first time the passport ends, tells the listeners.
     *
     * @param jti the passport's id
     * @param expiresAt its expiry if known, else a time after which the entry may be dropped
     * @param why a short reason, safe to log
     */
    public void markRevoked(String jti, Instant expiresAt, String why) {
        if (record(jti, new Ended(State.REVOKED, why, EVENT_REVOKED, expiresAt))) {
            listeners.forEach(l -> l.revoked(jti));
        }
    }

    /**
     * Tells the listeners that every live passport of an agent was revoked (they know which jtis they hold and
     * record them here through {@link #markRevoked}).
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

    /** Records the first end of a jti; returns whether this call recorded it. */
    private boolean record(String jti, Ended end) {
        purge();
        return ended.putIfAbsent(Objects.requireNonNull(jti, "jti"), end) == null;
    }

    private void purge() {
        if (ended.size() < PURGE_THRESHOLD) {
            return;
        }
        Instant now = clock.instant();
        ended.values().removeIf(e -> e.forgetAfter().isBefore(now));
    }
}
