package run.getstack.sdk.mission.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionListener;
import run.getstack.sdk.mission.MissionRecipients;
import run.getstack.sdk.mission.MissionReport;
import run.getstack.sdk.mission.MissionRevocation;
import run.getstack.sdk.mission.RevokeReason;
import run.getstack.sdk.passport.CheckpointRequest;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.passport.internal.DefaultAgentPassport;
import run.getstack.sdk.passport.internal.DefaultPassports;
import run.getstack.sdk.passport.internal.Issued;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.passport.internal.TokenClaims;

/**
 * Internal, not for public use. A mission held by this client: its passport on the SDK's refresh-ahead holder, its
 * checkpoints on the client's scheduler (enforced agents), its output, and its end.
 *
 * <p>Checkpoints: the next one falls due at half the checkpoint interval (or half the passport's remaining life, if
 * shorter), so a checkpoint that fails has the other half to be retried. A retry resends the same body with the same
 * idempotency key. Failures are retried with a growing delay until the passport's expiry; only then does the mission's
 * passport fail, with {@link StackPassportExpiredException}, and the listeners hear {@code checkpointsFailed}.
 */
final class DefaultMission implements Mission {
    private static final Duration MIN_DELAY = Duration.ofSeconds(1);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final DefaultMissions missions;
    private final String id;
    private final DefaultPassports passports;
    private final PassportGuard guard;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final DefaultAgentPassport holder;
    private final ActionTally tally;
    private final @Nullable AutoCloseable subscription;
    private volatile MissionInfo info;
    private final AtomicReference<@Nullable Object> output = new AtomicReference<>();
    private final List<MissionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final boolean enforced;

    /** Guards the checkpoint state below; never held across I/O. */
    private final ReentrantLock lock = new ReentrantLock();

    private TaskScheduler.@Nullable Cancellable nextCheckpoint;
    private @Nullable Pending pending;
    private int failures;

    /** A checkpoint sent and not yet accepted: retried with the same key and body, for the same passport. */
    private record Pending(String jti, String key, CheckpointRequest request, ActionTally.Snapshot snapshot) {}

    DefaultMission(
            DefaultMissions missions,
            MissionInfo info,
            Issued first,
            DefaultPassports passports,
            PassportGuard guard,
            TaskScheduler scheduler,
            ClientEvents events,
            Clock clock,
            DoubleSupplier random,
            PassportRefreshPolicy policy) {
        this.missions = missions;
        this.id = info.missionId();
        this.info = info;
        this.passports = passports;
        this.guard = guard;
        this.scheduler = scheduler;
        this.clock = clock;
        String agent = first.passport().agentId() != null
                ? first.passport().agentId()
                : info.agentId() != null ? info.agentId() : "unknown";
        this.holder = new DefaultAgentPassport(
                agent,
                new DefaultAgentPassport.Source() {
                    @Override
                    public Issued first() {
                        throw new IllegalStateException("the mission's first passport is given at start");
                    }

                    @Override
                    public Issued reissue() {
                        PassportRequest.Builder b = PassportRequest.builder().missionId(id);
                        Duration interval = DefaultMission.this.info.checkpointInterval();
                        if (interval != null) {
                            b.checkpointInterval(interval);
                        }
                        return passports.issueTimed(agent, b.build());
                    }
                },
                policy,
                passports,
                guard,
                clock,
                random);
        holder.seed(first);
        TokenClaims claims = TokenClaims.read(first.passport().token());
        this.enforced =
                claims != null && "enforced".equals(claims.accountability()) && info.checkpointInterval() != null;
        this.tally = new ActionTally(id, guard);
        this.subscription = enforced ? events.subscribe(tally) : null;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MissionInfo info() {
        return info;
    }

    void seen(MissionInfo latest) {
        info = latest;
    }

    List<MissionListener> listeners() {
        return listeners;
    }

    @Override
    public MissionInfo refresh() {
        return missions.get(id);
    }

    @Override
    public Passport passport() {
        Passport p = holder.current();
        guard.requireUsable(p);
        return p;
    }

    /**
     * Returns the holder of this mission's passport.
     *
     * @return the holder
     */
    DefaultAgentPassport holder() {
        return holder;
    }

    @Override
    public void output(@Nullable Object value) {
        output.set(value);
    }

    @Override
    public MissionInfo complete() {
        MissionInfo done = missions.complete(id, output.get());
        stop();
        return done;
    }

    @Override
    public MissionRevocation revoke(RevokeReason reason, @Nullable String notes) {
        MissionRevocation r = missions.revoke(id, reason, notes);
        stop();
        return r;
    }

    @Override
    public Mission renew() {
        Mission next = missions.renew(id);
        stop();
        return next;
    }

    @Override
    public MissionInfo awaitDecision(Duration timeout) {
        return missions.awaitDecision(id, timeout);
    }

    @Override
    public MissionRecipients addRecipients(List<String> recipients) {
        return missions.addRecipients(id, recipients);
    }

    @Override
    public MissionReport report() {
        return missions.report(id);
    }

    @Override
    public void addListener(MissionListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        if (stopped.get() || guard.missionEnded(id)) {
            stop();
            return;
        }
        complete();
    }

    /** Stops the checkpoints and the action count. Idempotent. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            TaskScheduler.Cancellable c = nextCheckpoint;
            if (c != null) {
                c.cancel();
            }
            nextCheckpoint = null;
        } finally {
            lock.unlock();
        }
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                // removing a subscriber does not fail
            }
        }
        guard.removeListener(holder);
        missions.released(this);
    }

    /** Schedules the first checkpoint (enforced agents only). */
    void startCheckpoints() {
        if (enforced) {
            schedule(nextDelay());
        }
    }

    /**
     * Returns whether checkpoints are sent for this mission.
     *
     * @return true for enforced agents
     */
    boolean enforced() {
        return enforced;
    }

    private Duration nextDelay() {
        Duration interval = info.checkpointInterval();
        Duration half = interval == null ? Duration.ofMinutes(1) : interval.dividedBy(2);
        Instant exp = holder.heldExpiry();
        if (exp != null) {
            Duration toExpiry = Duration.between(clock.instant(), exp).dividedBy(2);
            if (toExpiry.compareTo(half) < 0) {
                half = toExpiry;
            }
        }
        return half.compareTo(MIN_DELAY) < 0 ? MIN_DELAY : half;
    }

    private void schedule(Duration delay) {
        lock.lock();
        try {
            if (stopped.get()) {
                return;
            }
            try {
                nextCheckpoint = scheduler.schedule("stack-mission-checkpoint", delay, this::checkpoint);
            } catch (IllegalStateException closed) {
                // the client is closing
            }
        } finally {
            lock.unlock();
        }
    }

    /** One scheduled checkpoint (or its retry). */
    void checkpoint() {
        if (stopped.get()) {
            return;
        }
        Passport p;
        try {
            p = holder.current();
        } catch (StackPassportRevokedException | StackPassportCheckedOutException e) {
            stop();
            return;
        } catch (StackException e) {
            failed(e);
            return;
        }
        Pending send;
        lock.lock();
        try {
            Pending old = pending;
            if (old == null || !old.jti().equals(p.jti())) {
                ActionTally.Snapshot snap = tally.snapshot();
                old = new Pending(
                        p.jti(),
                        "ckpt_" + UUID.randomUUID(),
                        new CheckpointRequest(
                                snap.services(), snap.actions(), List.of(), "scheduled checkpoint of mission " + id),
                        snap);
                pending = old;
            }
            send = old;
        } finally {
            lock.unlock();
        }
        try {
            passports.checkpoint(p, send.request(), send.key());
        } catch (StackPassportRevokedException | StackPassportCheckedOutException e) {
            stop();
            return;
        } catch (StackException e) {
            failed(e);
            return;
        }
        tally.consume(send.snapshot());
        lock.lock();
        try {
            pending = null;
            failures = 0;
        } finally {
            lock.unlock();
        }
        schedule(nextDelay());
    }

    private void failed(StackException e) {
        Instant exp = holder.heldExpiry();
        Instant now = clock.instant();
        if (e instanceof run.getstack.sdk.StackInterruptedException || scheduler.isClosed()) {
            return;
        }
        if (exp == null || !now.isBefore(exp)) {
            StackPassportExpiredException gone = new StackPassportExpiredException(
                    "the passport of mission " + id + " expired" + (exp == null ? "" : " at " + exp)
                            + " because its checkpoints kept failing: " + e.detailMessage(),
                    0,
                    "PASSPORT_EXPIRED",
                    e.requestId(),
                    "checkpoints_failed",
                    null,
                    e);
            holder.terminate(gone);
            missions.notify(id, l -> l.checkpointsFailed(id, gone));
            stop();
            return;
        }
        Duration backoff;
        lock.lock();
        try {
            failures++;
            backoff = FIRST_RETRY.multipliedBy(1L << Math.min(failures - 1, 10));
        } finally {
            lock.unlock();
        }
        if (backoff.compareTo(MAX_RETRY) > 0) {
            backoff = MAX_RETRY;
        }
        Duration toExpiry = Duration.between(now, exp);
        schedule(backoff.compareTo(toExpiry) < 0 ? backoff : toExpiry);
    }

    @Override
    public String toString() {
        return "Mission{id=" + id + ", status=" + info.status() + ", enforced=" + enforced + '}';
    }
}
