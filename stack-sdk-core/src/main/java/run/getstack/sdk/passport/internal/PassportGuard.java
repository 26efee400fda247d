package run.getstack.sdk.passport.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * Internal, not for public use. The one place this client records what it knows about passport states without
 * asking the server: which jtis ended (checked out or revoked), why, and through which event. Every resource that
 * presents a passport (credentials, leases, proxy, the agent's passport holder) consults {@link #requireUsable} or
 * {@link #requireNotEnded} before sending or serving anything, so a revoked or checked-out passport is refused
 * everywhere by the same check. Knows the mission of each passport it was told about: a mission's end is a
 * revocation of its passports, and a pause refuses them until resumed. A passport's first end wins and listeners are
 * told once per jti. Thread-safe;
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

        /**
         * A cap paused a mission.
         *
         * @param missionId the mission
         * @param pause the refusal that showed it
         */
        default void missionPaused(String missionId, StackMissionPausedException pause) {}

        /**
         * A paused mission was let go on.
         *
         * @param missionId the mission
         */
        default void missionResumed(String missionId) {}

        /**
         * A mission ended; its bound passports were marked revoked just before.
         *
         * @param missionId the mission
         * @param status how it ended
         */
        default void missionEnded(String missionId, MissionStatus status) {}
    }

    /** A passport's mission, remembered until a day after the passport's expiry. */
    private record Binding(String missionId, Instant forgetAfter) {}

    private static final int PURGE_THRESHOLD = 1024;

    /** How long after a passport's expiry its entries are kept: the server's refresh window. */
    private static final Duration FORGET_AFTER_EXPIRY = Duration.ofHours(25);

    private final Clock clock;
    private final Map<String, Ended> ended = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Binding> missionOf = new ConcurrentHashMap<>();
    private final Map<String, Instant> endedMissions = new ConcurrentHashMap<>();
    private final Map<String, StackMissionPausedException> pausedMissions = new ConcurrentHashMap<>();

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
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(Listener listener) {
        listeners.remove(listener);
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
        requireNotCheckedOut(passport);
        Binding b = missionOf.get(passport.jti());
        if (b != null && endedMissions.containsKey(b.missionId())) {
            throw new StackPassportRevokedException(
                    "passport " + passport.jti() + " belongs to mission " + b.missionId()
                            + ", which has ended; it is not presented again",
                    0,
                    "PASSPORT_REVOKED",
                    null,
                    "mission_ended",
                    null,
                    null);
        }
        requireNotEnded(passport);
        if (b != null) {
            StackMissionPausedException pause = pausedMissions.get(b.missionId());
            if (pause != null) {
                throw new StackMissionPausedException(
                        "mission " + b.missionId() + " is paused: its " + pause.pausedCap() + " cap"
                                + (pause.pausedService() == null ? "" : " on " + pause.pausedService())
                                + " is full; waiting for the owner's decision (Mission.awaitDecision)",
                        0,
                        "MISSION_PAUSED",
                        null,
                        b.missionId(),
                        pause.pausedCap(),
                        pause.pausedService(),
                        null,
                        null);
            }
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
     * Tells whether this client checked the passport out (a lookup, for work that may have missed the listeners'
     * call because it was in flight).
     *
     * @param jti the passport's id
     * @return true if checked out
     */
    public boolean isCheckedOut(String jti) {
        Ended e = ended.get(jti);
        return e != null && e.state() == State.CHECKED_OUT;
    }

    /**
     * Tells whether this client saw the passport revoked, or its mission end (a lookup, for work that may have missed
     * the listeners' call because it was in flight).
     *
     * @param jti the passport's id
     * @return true if revoked
     */
    public boolean isRevoked(String jti) {
        Binding b = missionOf.get(jti);
        Ended e = ended.get(jti);
        return (e != null && e.state() == State.REVOKED) || (b != null && endedMissions.containsKey(b.missionId()));
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
        markRevoked(jti, expiresAt, why, EVENT_REVOKED);
    }

    /**
     * Records a revocation with its reason and the event that carried it (for example {@code revocation.bulk_agent}
     * from the feed) and, the first time the passport ends, tells the listeners.
     *
     * @param jti the passport's id
     * @param expiresAt its expiry if known, else a time after which the entry may be dropped
     * @param why a short reason, safe to log
     * @param eventType the event that ended it
     * @return true if this call recorded the end (the first end wins)
     */
    public boolean markRevoked(String jti, Instant expiresAt, String why, String eventType) {
        if (record(jti, new Ended(State.REVOKED, why, eventType, expiresAt))) {
            listeners.forEach(l -> l.revoked(jti));
            return true;
        }
        return false;
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

    /**
     * Remembers which mission a passport belongs to (delegated children included). If this client has already seen
     * that mission end, the passport is marked revoked at once.
     *
     * @param jti the passport
     * @param missionId its mission
     * @param expiresAt the passport's expiry
     */
    public void bindMission(String jti, String missionId, Instant expiresAt) {
        purge();
        missionOf.put(jti, new Binding(missionId, expiresAt.plus(FORGET_AFTER_EXPIRY)));
        if (endedMissions.containsKey(missionId)) {
            markRevoked(jti, expiresAt.plus(FORGET_AFTER_EXPIRY), "its mission has ended");
        }
    }

    /**
     * Returns the mission a passport belongs to, if this client knows it.
     *
     * @param jti the passport
     * @return the mission id, or null
     */
    public @Nullable String missionOf(String jti) {
        Binding b = missionOf.get(jti);
        return b == null ? null : b.missionId();
    }

    /**
     * Records that a mission ended: every passport bound to it is marked revoked (for every check of this client),
     * then the listeners are told.
     *
     * @param missionId the mission
     * @param status how it ended
     */
    public void markMissionEnded(String missionId, MissionStatus status) {
        if (endedMissions.putIfAbsent(missionId, clock.instant().plus(FORGET_AFTER_EXPIRY.multipliedBy(2))) != null) {
            return;
        }
        pausedMissions.remove(missionId);
        missionOf.forEach((jti, b) -> {
            if (b.missionId().equals(missionId)) {
                markRevoked(jti, b.forgetAfter(), "its mission ended (" + status + ")");
            }
        });
        listeners.forEach(l -> l.missionEnded(missionId, status));
    }

    /**
     * Tells whether this client saw a mission end.
     *
     * @param missionId the mission
     * @return true if ended
     */
    public boolean missionEnded(String missionId) {
        return endedMissions.containsKey(missionId);
    }

    /**
     * Records that a cap paused a mission: its passports are refused locally until {@link #markMissionResumed}.
     *
     * @param pause the refusal naming the mission
     */
    public void markMissionPaused(StackMissionPausedException pause) {
        String id = pause.missionId();
        if (id == null || endedMissions.containsKey(id)) {
            return;
        }
        if (pausedMissions.put(id, pause) == null) {
            listeners.forEach(l -> l.missionPaused(id, pause));
        }
    }

    /**
     * Records that a paused mission goes on.
     *
     * @param missionId the mission
     */
    public void markMissionResumed(String missionId) {
        if (pausedMissions.remove(missionId) != null) {
            listeners.forEach(l -> l.missionResumed(missionId));
        }
    }

    /**
     * Returns the pause this client saw on a mission.
     *
     * @param missionId the mission
     * @return the refusal that showed it, or null if not paused
     */
    public @Nullable StackMissionPausedException pauseOf(String missionId) {
        return pausedMissions.get(missionId);
    }

    /** Records the first end of a jti; returns whether this call recorded it. */
    private boolean record(String jti, Ended end) {
        purge();
        return ended.putIfAbsent(Objects.requireNonNull(jti, "jti"), end) == null;
    }

    private void purge() {
        if (ended.size() + missionOf.size() + endedMissions.size() < PURGE_THRESHOLD) {
            return;
        }
        Instant now = clock.instant();
        ended.values().removeIf(e -> e.forgetAfter().isBefore(now));
        missionOf.values().removeIf(b -> b.forgetAfter().isBefore(now));
        endedMissions.values().removeIf(exp -> exp.isBefore(now));
    }
}
