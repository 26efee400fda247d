package run.getstack.sdk.revocation.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.follow.PollLoop;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.revocation.StackRevocationUnknownException;

/**
 * Internal, not for public use. The client's one revocation follower (wire protocol §7, §7.3).
 *
 * <p><b>Feed mode.</b> Started by the first passport or lease the client holds ({@link #hold}), it takes the head
 * cursor, asks the status of every jti it holds, then long-polls the feed from its cursor on the client's {@link
 * PollLoop} (one request at a time, so at most one parked poll per client; it occupies one of the scheduler's
 * workers while parked). Every revoked jti goes to the {@link PassportGuard}, the one record of passport states,
 * which tells its listeners once (the agent's passport holder stops serving it, leases under it end); each one this
 * client had not seen end is published as a {@code revocation.seen} event. A failed poll is retried with the loop's
 * jittered backoff from the same cursor, so no event is missed; {@code CURSOR_EXPIRED} re-syncs (head cursor, then
 * the status of every held jti).
 *
 * <p><b>Polling mode.</b> Where the feed answers 404 (hosted STACK has no feed), the follower asks {@code POST
 * /v1/passports/verify} for each held passport whose token it has, at most once per jti per bound.
 *
 * <p><b>Bounded staleness.</b> The knowledge of a jti dates from the last feed answer (for a jti the feed covers:
 * held before the head cursor was taken and status-checked, or issued after it) or from the last status answer for
 * it. {@link #requireFresh} asks the status at once when that knowledge is older than the bound (always, for a zero
 * bound); if no answer comes it fails closed with {@link StackRevocationUnknownException} unless fail-open was chosen.
 * Concurrent checks of one passport share one status request (single flight).
 *
 * <p>Memory: at most {@value #MAX_HELD} held jtis (the oldest forgotten first, expired ones dropped); one cursor.
 * Thread-safe; no I/O under its lock.
 */
public final class RevocationFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationFollower.class);

    /** Most jtis followed at once. */
    static final int MAX_HELD = 10_000;

    /** The feed's default {@code wait}: under common 30 s and 60 s idle timeouts. */
    public static final int DEFAULT_WAIT_SECONDS = 25;

    /** How long a jti the feed reports stays remembered in the guard when its expiry is not known. */
    private static final Duration FORGET = PassportRequest.MAX_TTL.plus(Duration.ofHours(24));

    /** Polling mode's interval when the bound is zero (every check asks anyway). */
    private static final Duration ZERO_BOUND_POLL = Duration.ofSeconds(60);

    private static final int MAX_REASON = 200;

    /** Internal, not for public use. How the follower learns of revocations. */
    public enum Mode {
        /** Not started yet. */
        IDLE,
        /** Long-polling the feed (§7.2). */
        FEED,
        /** Asking {@code POST /v1/passports/verify} per held passport (no feed: hosted STACK). */
        POLLING
    }

    /** A followed jti. Guarded by {@link #lock}. */
    private static final class Held {
        final String jti;
        Instant forgetAfter;
        volatile @Nullable Secret token;
        /** The feed does not cover it until one status answer (issued before the follower's head cursor). */
        boolean needsStatus;

        @Nullable
        Instant statusKnownAt;

        volatile @Nullable Instant lastAsked;

        /** The control plane says it was checked out (the holder's own checkout records it in the guard). */
        volatile boolean checkedOut;

        Held(String jti, Instant forgetAfter) {
            this.jti = jti;
            this.forgetAfter = forgetAfter;
        }
    }

    private final RevocationFeed feed;
    private final PassportGuard guard;
    private final ClientEvents events;
    private final Clock clock;
    private final Duration bound;
    private final boolean failOpen;
    private final int waitSeconds;
    private final Supplier<Optional<Passport>> own;
    private final PollLoop loop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Held> held = new LinkedHashMap<>();
    /** The status question in flight per jti: concurrent checks share one request. */
    private final ConcurrentHashMap<String, CompletableFuture<Asked>> asking = new ConcurrentHashMap<>();

    private volatile Mode mode = Mode.IDLE;
    private volatile @Nullable String cursor;
    /** When the head cursor was taken; jtis issued after it are covered by the feed. */
    private volatile @Nullable Instant syncedAt;
    /** When the feed last answered. */
    private volatile @Nullable Instant feedKnownAt;

    private volatile boolean started;
    private volatile boolean closed;

    /**
     * Creates the follower; nothing runs before the first {@link #hold}.
     *
     * @param feed the feed on the client's transport
     * @param guard the client's passport guard
     * @param scheduler the client's scheduler
     * @param events the client's event hook
     * @param clock the client's clock
     * @param random uniform doubles in [0, 1) for the backoff's jitter
     * @param bound the staleness bound, zero or more
     * @param failOpen whether calls go on when revocation is unknown past the bound
     * @param waitSeconds the feed's {@code wait}, 0 to 30 (null: derived from the bound)
     * @param own the agent's passport held now, if any (its token feeds polling mode)
     */
    public RevocationFollower(
            RevocationFeed feed,
            PassportGuard guard,
            TaskScheduler scheduler,
            ClientEvents events,
            Clock clock,
            DoubleSupplier random,
            Duration bound,
            boolean failOpen,
            @Nullable Integer waitSeconds,
            Supplier<Optional<Passport>> own) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bound = Objects.requireNonNull(bound, "bound");
        this.failOpen = failOpen;
        this.own = Objects.requireNonNull(own, "own");
        this.waitSeconds = waitSeconds != null ? waitSeconds : waitFor(bound);
        this.loop = new PollLoop("stack-revocation-follow", scheduler, this::poll, this::failed, Duration.ZERO, random);
    }

    /** The feed's wait for a bound: half of it (so a parked poll answers well within it), 1 to 25 s. */
    static int waitFor(Duration bound) {
        if (bound.isZero()) {
            return DEFAULT_WAIT_SECONDS;
        }
        long half = bound.toSeconds() / 2;
        return (int) Math.max(1, Math.min(DEFAULT_WAIT_SECONDS, half));
    }

    /**
     * Follows a passport from now on, starting the follower on the first one.
     *
     * @param jti the passport's id
     * @param expiresAt its expiry, or null if unknown
     * @param issuedAt when it was issued, or null if unknown (then it is taken as issued before the head cursor)
     * @param token its token, if known (needed only in polling mode)
     */
    public void hold(String jti, @Nullable Instant expiresAt, @Nullable Instant issuedAt, @Nullable Secret token) {
        Objects.requireNonNull(jti, "jti");
        Instant now = clock.instant();
        lock.lock();
        try {
            Held h = held.get(jti);
            if (h == null) {
                h = new Held(jti, expiresAt != null ? expiresAt : now.plus(FORGET));
                Instant synced = syncedAt;
                h.needsStatus = synced == null || issuedAt == null || issuedAt.isBefore(synced);
                held.put(jti, h);
                trim(now);
            } else if (expiresAt != null) {
                h.forgetAfter = expiresAt;
            }
            if (token != null && h.token == null) {
                h.token = token;
            }
        } finally {
            lock.unlock();
        }
        start();
    }

    /**
     * Follows a passport the client holds.
     *
     * @param p the passport
     */
    public void hold(Passport p) {
        hold(p.jti(), p.expiresAt(), p.issuedAt(), p.token());
        noteIssued(p.jti(), p.issuedAt());
    }

    /** The control plane issued the passport live: knowledge as of its issue (never later than now). */
    private void noteIssued(String jti, Instant issuedAt) {
        Instant now = clock.instant();
        Instant issued = issuedAt.isAfter(now) ? now : issuedAt;
        lock.lock();
        try {
            Held h = held.get(jti);
            if (h != null && h.statusKnownAt == null) {
                h.statusKnownAt = issued;
            }
        } finally {
            lock.unlock();
        }
    }

    private void trim(Instant now) {
        if (held.size() <= MAX_HELD) {
            return;
        }
        held.values().removeIf(h -> h.forgetAfter.isBefore(now));
        Iterator<Held> it = held.values().iterator();
        while (held.size() > MAX_HELD && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private void start() {
        if (started || closed) {
            return;
        }
        lock.lock();
        try {
            if (started) {
                return;
            }
            started = true;
        } finally {
            lock.unlock();
        }
        try {
            loop.start();
        } catch (IllegalStateException schedulerClosed) {
            // the client is closing: nothing to follow
        }
    }

    /** One step of the loop. */
    private Duration poll() {
        if (mode == Mode.POLLING) {
            return pollStatuses();
        }
        String c = cursor;
        try {
            if (c == null) {
                c = sync();
            }
            Instant asked = clock.instant();
            RevocationFeed.Page page = feed.poll(c, waitSeconds, loop::cancelOnClose);
            loop.cancelOnClose(null);
            Instant answered = clock.instant();
            apply(page, "feed");
            cursor = page.cursor();
            feedKnownAt = answered;
            if (!page.events().isEmpty()) {
                return Duration.ZERO; // more may follow at once
            }
            // a server (or proxy) that answers an empty page before the wait is over gets at most one poll per
            // max(wait, 1 s): no hot loop
            Duration least = Duration.ofSeconds(Math.max(1, waitSeconds));
            Duration took = Duration.between(asked, answered);
            return took.compareTo(least) >= 0 ? Duration.ZERO : least.minus(took);
        } catch (RevocationFeed.CursorExpiredException e) {
            LOG.info("revocation cursor expired; re-syncing from the head cursor");
            cursor = null;
            publishResync();
            return Duration.ZERO;
        } catch (StackNotFoundException e) {
            // no feed here (hosted STACK, §7.3): ask verify per held passport instead
            LOG.info("the control plane has no revocation feed; polling POST /v1/passports/verify instead");
            mode = Mode.POLLING;
            return pollStatuses();
        } finally {
            loop.cancelOnClose(null);
        }
    }

    /** Takes the head cursor, then asks the status of every held jti; returns the cursor. */
    private String sync() {
        RevocationFeed.Page head = feed.poll(null, 0, loop::cancelOnClose);
        Instant at = clock.instant();
        if (mode == Mode.IDLE) {
            mode = Mode.FEED;
        }
        for (Held h : snapshot()) {
            try {
                askStatus(h, false);
            } catch (StackNotFoundException unknownJti) {
                forget(h.jti); // the control plane does not know it: nothing to follow
            }
        }
        syncedAt = at;
        feedKnownAt = at;
        cursor = head.cursor();
        return head.cursor();
    }

    private List<Held> snapshot() {
        lock.lock();
        try {
            Instant now = clock.instant();
            held.values()
                    .removeIf(h ->
                            h.forgetAfter.isBefore(now) || guard.ended(h.jti).isPresent());
            return new ArrayList<>(held.values());
        } finally {
            lock.unlock();
        }
    }

    /** Polling mode: asks verify for each held passport whose last ask is at least the bound old. */
    private Duration pollStatuses() {
        own.get().ifPresent(this::hold);
        StackException failure = null;
        for (Held h : snapshot()) {
            if (h.token == null || !due(h)) {
                continue;
            }
            try {
                askStatus(h, true);
            } catch (StackException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return bound.isZero() ? ZERO_BOUND_POLL : bound;
    }

    private boolean due(Held h) {
        Instant last = h.lastAsked;
        return last == null || !clock.instant().isBefore(last.plus(bound));
    }

    /**
     * Asks the control plane about one held jti (status in feed mode, verify in polling mode) and records the
     * answer.
     *
     * @param h the jti
     * @param viaVerify whether to ask verify
     * @throws StackException when it could not be asked
     */
    private void askStatus(Held h, boolean viaVerify) {
        Secret token = h.token;
        Instant asked = clock.instant();
        h.lastAsked = asked;
        RevocationFeed.Status s;
        if (viaVerify) {
            if (token == null) {
                throw new StackException("no token to ask POST /v1/passports/verify about passport " + h.jti);
            }
            s = feed.verify(token);
        } else {
            try {
                s = feed.status(h.jti);
            } catch (IllegalArgumentException malformedJti) {
                throw new StackException("passport id is not a plain id; its status cannot be asked");
            }
        }
        Instant answered = clock.instant();
        lock.lock();
        try {
            h.statusKnownAt = answered;
            h.needsStatus = false;
        } finally {
            lock.unlock();
        }
        if (s.revoked()) {
            revoked(h.jti, h.forgetAfter, s.reason(), viaVerify ? "verify" : "status", "revocation.status");
        } else if (s.checkedOut()) {
            h.checkedOut = true; // not recorded in the guard here: that would race the holder's own checkout
        } else if (s.gone()) {
            forget(h.jti);
        }
    }

    private void forget(String jti) {
        lock.lock();
        try {
            held.remove(jti);
        } finally {
            lock.unlock();
        }
    }

    private void apply(RevocationFeed.Page page, String source) {
        for (RevocationFeed.Event e : page.events()) {
            for (String jti : e.jtis()) {
                Instant forget;
                lock.lock();
                try {
                    Held h = held.get(jti);
                    forget = h != null ? h.forgetAfter : clock.instant().plus(FORGET);
                } finally {
                    lock.unlock();
                }
                revoked(jti, forget, e.reason(), source + ":" + e.type(), "revocation." + e.type());
            }
        }
    }

    private void revoked(String jti, Instant forget, String serverReason, String source, String eventType) {
        String reason = safe(serverReason);
        if (guard.markRevoked(jti, forget, "revoked (" + reason + ")", eventType)) {
            if (events.hasSubscribers()) {
                Map<String, String> d = new LinkedHashMap<>();
                d.put("reason", reason);
                d.put("event_type", eventType);
                d.put("source", source);
                events.publish(
                        new ClientEvent(clock.instant(), "revocation.seen", ClientEvent.Outcome.SUCCESS, jti, null, d));
            }
        }
    }

    /** A server-supplied reason fit for logs and events: bounded, printable, never anything credential-like. */
    static String safe(String reason) {
        if (ErrorMapper.carriesKeyOrJwt(reason)) {
            return "(withheld: looked like a credential)";
        }
        StringBuilder b = new StringBuilder(Math.min(reason.length(), MAX_REASON));
        for (int i = 0; i < reason.length() && b.length() < MAX_REASON; i++) {
            char c = reason.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private void failed(StackException e, Duration next) {
        LOG.debug(
                "revocation follower: {} failed ({}); next attempt in {}",
                mode,
                e.getClass().getSimpleName(),
                next);
    }

    private void publishResync() {
        if (events.hasSubscribers()) {
            events.publish(new ClientEvent(
                    clock.instant(),
                    "revocation.resync",
                    ClientEvent.Outcome.SUCCESS,
                    null,
                    null,
                    Map.of("reason", "cursor_expired")));
        }
    }

    /**
     * Returns how old this client's revocation knowledge of a jti is.
     *
     * @param jti the passport's id
     * @return the age, or empty when it has none
     */
    public Optional<Duration> knowledgeAge(String jti) {
        Instant known = knownAt(jti);
        return known == null ? Optional.empty() : Optional.of(age(known));
    }

    private @Nullable Instant knownAt(String jti) {
        lock.lock();
        try {
            Held h = held.get(jti);
            if (h == null) {
                return null;
            }
            Instant k = h.statusKnownAt;
            Instant f = feedKnownAt;
            if (mode == Mode.FEED && !h.needsStatus && f != null && (k == null || f.isAfter(k))) {
                k = f;
            }
            return k;
        } finally {
            lock.unlock();
        }
    }

    private Duration age(Instant known) {
        Duration a = Duration.between(known, clock.instant());
        return a.isNegative() ? Duration.ZERO : a;
    }

    /**
     * Fails, before a credential, lease or proxy call is sent, if this client cannot know within the bound whether
     * the passport was revoked; asks the control plane at once when its knowledge is too old. A revocation learned
     * this way is recorded in the guard (and thrown by the guard's check).
     *
     * @param p the passport about to be presented
     * @throws StackRevocationUnknownException if unknown past the bound (unless fail-open)
     * @throws run.getstack.sdk.passport.StackPassportRevokedException if the answer says revoked
     */
    public void requireFresh(Passport p) {
        hold(p);
        String jti = p.jti();
        if (isFresh(jti)) {
            return;
        }
        Asked asked = ask(jti);
        guard.requireUsable(p);
        if (asked.answered() || (asked.failure() == null && isFresh(jti))) {
            return;
        }
        unknown(jti, asked.failure());
    }

    /**
     * Tells whether a passport presented to this client by someone else is revoked (the verifier's check): what the
     * feed said, else the status asked once (for a passport issued before the follower's head cursor), within the
     * same bound and with the same fail-closed default.
     *
     * @param jti the passport's id
     * @param issuedAt when it was issued
     * @param expiresAt when it expires
     * @return true if revoked
     * @throws StackRevocationUnknownException if unknown past the bound (unless fail-open)
     */
    public boolean isRevoked(String jti, Instant issuedAt, Instant expiresAt) {
        if (guard.isRevoked(jti) || guard.isCheckedOut(jti)) {
            return true;
        }
        hold(jti, expiresAt, issuedAt, null);
        if (checkedOut(jti)) {
            return true;
        }
        noteIssued(jti, issuedAt);
        if (isFresh(jti)) {
            return false;
        }
        Asked asked = ask(jti);
        if (guard.isRevoked(jti) || guard.isCheckedOut(jti) || checkedOut(jti)) {
            return true;
        }
        if (asked.answered() || (asked.failure() == null && isFresh(jti))) {
            return false;
        }
        unknown(jti, asked.failure());
        return false;
    }

    private boolean checkedOut(String jti) {
        lock.lock();
        try {
            Held h = held.get(jti);
            return h != null && h.checkedOut;
        } finally {
            lock.unlock();
        }
    }

    private boolean isFresh(String jti) {
        if (bound.isZero()) {
            return false;
        }
        Instant known = knownAt(jti);
        return known != null && age(known).compareTo(bound) <= 0;
    }

    /** What came of asking: an answer just now, a skipped ask (asked within the bound already), or a failure. */
    private record Asked(boolean answered, @Nullable StackException failure) {
        static final Asked ANSWERED = new Asked(true, null);
        static final Asked SKIPPED = new Asked(false, null);

        static Asked failed(StackException e) {
            return new Asked(false, e);
        }
    }

    /**
     * Asks once per passport at a time (single flight): the first caller asks, callers that arrive while it asks
     * wait for its answer and share it. A waiter that is interrupted stops waiting at once; the question goes on for
     * the others. If the asking caller itself was interrupted, its failure is not shared: a waiter asks again.
     */
    private Asked ask(String jti) {
        while (true) {
            CompletableFuture<Asked> mine = new CompletableFuture<>();
            CompletableFuture<Asked> running = asking.putIfAbsent(jti, mine);
            if (running == null) {
                try {
                    Asked a = askNow(jti);
                    mine.complete(a);
                    return a;
                } catch (RuntimeException | Error e) {
                    mine.completeExceptionally(e);
                    throw e;
                } finally {
                    asking.remove(jti, mine);
                }
            }
            Asked shared = await(jti, running);
            if (!(shared.failure() instanceof StackInterruptedException)) {
                return shared;
            }
            // the asking caller was interrupted, not this one: ask again (at most one of the waiters sends)
        }
    }

    private static Asked await(String jti, CompletableFuture<Asked> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for the revocation status of passport " + jti, null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StackException("asking the revocation status of passport " + jti + " failed", cause);
        }
    }

    /** Asks now (respecting polling mode's one request per jti per bound). */
    private Asked askNow(String jti) {
        Held h;
        lock.lock();
        try {
            h = held.get(jti);
        } finally {
            lock.unlock();
        }
        if (h == null) {
            return Asked.failed(
                    new StackException("passport " + jti + " is not followed (more than " + MAX_HELD + " held)"));
        }
        boolean viaVerify = mode == Mode.POLLING;
        if (viaVerify && !bound.isZero() && !due(h)) {
            return Asked.SKIPPED; // asked within the bound already: its answer (or failure) stands
        }
        try {
            askStatus(h, viaVerify);
            return Asked.ANSWERED;
        } catch (StackNotFoundException e) {
            if (!viaVerify && h.token != null) {
                // no status endpoint (hosted STACK), or a jti the extension does not know: verify decides
                try {
                    askStatus(h, true);
                    return Asked.ANSWERED;
                } catch (StackException e2) {
                    return Asked.failed(e2);
                }
            }
            return Asked.failed(e);
        } catch (StackException e) {
            return Asked.failed(e);
        }
    }

    private void unknown(String jti, @Nullable StackException failure) {
        Instant known = knownAt(jti);
        Duration age = known == null ? null : age(known);
        String why = "revocation state of passport " + jti + " is unknown: "
                + (age == null ? "no answer yet" : "latest knowledge is " + age.toSeconds() + " s old")
                + ", past the bound of " + bound.toSeconds() + " s"
                + (failure == null
                        ? ""
                        : ", and asking failed: " + failure.getClass().getSimpleName());
        if (events.hasSubscribers()) {
            events.publish(new ClientEvent(
                    clock.instant(),
                    "revocation.unknown",
                    failOpen ? ClientEvent.Outcome.FAILURE : ClientEvent.Outcome.BLOCKED,
                    jti,
                    null,
                    Map.of("fail_open", Boolean.toString(failOpen))));
        }
        if (failOpen) {
            LOG.warn("{}; served anyway (revocationFailOpen)", why);
            return;
        }
        throw new StackRevocationUnknownException(
                why + "; refused before sending (fail closed). It clears once the control plane answers again",
                jti,
                age,
                bound,
                failure);
    }

    /**
     * Returns how the follower learns of revocations now.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * Returns the staleness bound.
     *
     * @return the bound
     */
    public Duration bound() {
        return bound;
    }

    /**
     * Tells whether the follower's loop runs.
     *
     * @return true while following
     */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Stops following: the pending poll is cancelled, a parked one cancelled at once. Idempotent. */
    @Override
    public void close() {
        closed = true;
        loop.close();
    }

    @Override
    public String toString() {
        return "RevocationFollower{mode=" + mode + ", bound=" + bound + ", failOpen=" + failOpen + ", wait="
                + waitSeconds + "s, running=" + isRunning() + '}';
    }
}
