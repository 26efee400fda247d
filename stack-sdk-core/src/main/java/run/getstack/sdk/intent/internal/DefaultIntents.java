package run.getstack.sdk.intent.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackCircuitOpenException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackNetworkException;
import run.getstack.sdk.StackRateLimitedException;
import run.getstack.sdk.StackServerException;
import run.getstack.sdk.StackTimeoutException;
import run.getstack.sdk.credential.internal.CapabilityContext;
import run.getstack.sdk.intent.IntentApproval;
import run.getstack.sdk.intent.IntentApprovalStatus;
import run.getstack.sdk.intent.IntentClaim;
import run.getstack.sdk.intent.Intents;
import run.getstack.sdk.intent.StackIntentApprovalRequiredException;
import run.getstack.sdk.intent.StackIntentRejectedException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.passport.Passport;

/**
 * Internal, not for public use. {@link Intents} over wire protocol §14.1–§14.3.
 *
 * <p>Waits: every approval being waited for has one watch, which reads it on the client's scheduler right away and
 * then once per poll interval while it is pending, however many callers wait on it; each caller's future has its own
 * deadline task. The watch stops when its last caller's future completes or is cancelled, and {@link #close()} fails
 * every wait. No thread is held while waiting and no monitor is taken (one {@link ReentrantLock} guards the watches,
 * never across I/O).
 */
public final class DefaultIntents implements Intents, AutoCloseable {
    /** How long a rejected approval's passport is remembered as revoked: past any passport's refresh window. */
    private static final Duration REMEMBER_REVOKED = Duration.ofHours(25);

    private final CapabilityContext ctx;
    private final @Nullable String agentId;
    private final Duration pollInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Watch> watches = new HashMap<>(); // guarded by lock

    /**
     * The passport each approval this client submitted was submitted under, newest last, at most {@link
     * #MAX_SUBMITTED}: a rejection revokes that passport even when STACK's answer does not name it.
     */
    private final Map<String, String> submittedUnder = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SUBMITTED;
        }
    }; // guarded by lock

    /** How many submissions' passports are remembered (approvals live at most a day). */
    static final int MAX_SUBMITTED = 4096;

    private boolean closed; // guarded by lock

    /**
     * Creates the resource.
     *
     * @param ctx the shared context (transport, passport, guard, scheduler, clock, events)
     * @param agentId the client's agent, if configured (used when a passport does not name its agent)
     * @param pollInterval the pause between two reads of a pending approval
     */
    public DefaultIntents(CapabilityContext ctx, @Nullable String agentId, Duration pollInterval) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.agentId = agentId;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    @Override
    public IntentApproval submit(IntentClaim claim) {
        Objects.requireNonNull(claim, "claim");
        Passport p = ctx.currentPassport();
        ObjectNode intent = Json.object();
        intent.put("type", "intent_claim");
        intent.put("intent_type", claim.type().wireValue());
        String agent = p.agentId() != null ? p.agentId() : agentId;
        if (agent == null) {
            throw new run.getstack.sdk.StackConfigurationException(
                    "agentId: required to submit an intent under the agent's own passport");
        }
        intent.put("agent_id", agent);
        intent.put("named_intent", claim.namedIntent());
        intent.put("target", claim.target());
        intent.put("action", claim.action());
        intent.set(
                "parameters",
                claim.parameters()
                        .map(j -> IntentJson.requireObject(j, "parameters"))
                        .orElseGet(Json::object));
        Long cents = claim.estimatedCostCents().orElse(null);
        if (cents == null) {
            intent.putNull("estimated_cost");
        } else {
            intent.putObject("estimated_cost")
                    .put("amount_cents", cents)
                    .put("currency", claim.currency().orElse("USD"));
        }
        intent.put("reason", claim.reason());
        ArrayNode requires = intent.putArray("requires");
        claim.requires().forEach(requires::add);
        intent.put("user_subject", claim.userSubject().orElse(null));
        String mission = claim.missionRef().orElse(ctx.guard().missionOf(p.jti()));
        intent.put("mission_ref", mission);
        intent.put(
                "submitted_at", DateTimeFormatter.ISO_INSTANT.format(ctx.now().truncatedTo(ChronoUnit.MILLIS)));
        ObjectNode body = Json.object();
        body.set("intent", intent);
        body.put("expires_in_seconds", claim.approvalLifetime().toSeconds());
        body.put("skip_simulation", claim.skipSimulation());
        IntentApproval a;
        try {
            a = ctx.transport()
                    .execute(
                            ApiRequest.post("/v1/intents", body)
                                    .passportToken(p.token())
                                    .idempotent()
                                    .build(),
                            r -> IntentJson.approval(r.requireObject()));
        } catch (StackException e) {
            throw ctx.refusal(e, p, "intent submission");
        }
        lock.lock();
        try {
            submittedUnder.put(a.approvalId(), p.jti());
        } finally {
            lock.unlock();
        }
        ctx.publish(
                "intent.submitted",
                ClientEvent.Outcome.SUCCESS,
                p.jti(),
                null,
                Map.of("approval_id", a.approvalId(), "intent_type", a.intentType(), "status", wire(a.status())));
        return a;
    }

    @Override
    public IntentApproval get(String approvalId) {
        Ids.require("approvalId", approvalId);
        return read(approvalId);
    }

    private IntentApproval read(String approvalId) {
        IntentApproval a = ctx.transport()
                .execute(
                        ApiRequest.get("/v1/intent-approvals/" + approvalId).build(),
                        r -> IntentJson.approval(r.requireObject()));
        if (a.status() == IntentApprovalStatus.REJECTED) {
            rejected(a);
        }
        return a;
    }

    /**
     * A rejection revokes the passport the intent was submitted under (docs/wire-protocol.md §14.3): the one STACK
     * names, else the one this client submitted it under. The guard records it, so every check of this client
     * refuses it now, and the revocation is published as the follower publishes the ones it sees. An approval this
     * client did not submit and STACK does not name the passport of changes no local state: the client cannot tell
     * which passport ended, and STACK refuses it on its next use.
     */
    private void rejected(IntentApproval a) {
        String jti = a.passportJti();
        if (jti == null) {
            lock.lock();
            try {
                jti = submittedUnder.get(a.approvalId());
            } finally {
                lock.unlock();
            }
        }
        if (jti == null) {
            return;
        }
        String reason = "intent_rejected: " + a.approvalId();
        if (ctx.guard()
                .markRevoked(
                        jti,
                        ctx.now().plus(REMEMBER_REVOKED),
                        "its intent " + a.approvalId() + " was rejected",
                        REVOCATION_EVENT)) {
            ctx.publish(
                    "revocation.seen",
                    ClientEvent.Outcome.SUCCESS,
                    jti,
                    null,
                    Map.of("reason", reason, "event_type", REVOCATION_EVENT, "source", "intent_approval"));
        }
    }

    /** STACK publishes a rejection's revocation as one {@code single} feed event (§14.3); the client names it so. */
    private static final String REVOCATION_EVENT = "revocation.single";

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the dependent stages only complete the waiter and never throw
    public CompletableFuture<IntentApproval> whenDecided(String approvalId, Duration timeout) {
        Ids.require("approvalId", approvalId);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must not be negative");
        }
        CompletableFuture<IntentApproval> waiter = new CompletableFuture<>();
        Watch w = join(approvalId);
        AtomicBoolean timedOut = new AtomicBoolean();
        TaskScheduler.Cancellable deadline;
        try {
            deadline = ctx.scheduler().schedule("stack-intent-wait-deadline", timeout, () -> {
                timedOut.set(true);
                waiter.completeExceptionally(new StackTimeoutException(
                        "intent approval " + approvalId + " was not decided within " + timeout
                                + "; it may still be decided: wait again or read it with client.intents().get(...)",
                        StackTimeoutException.Kind.CALL,
                        null,
                        null));
            });
        } catch (IllegalStateException e) {
            leave(w);
            throw new IllegalStateException("the client is closed: cannot wait for intent approval " + approvalId, e);
        }
        waiter.whenComplete((a, ex) -> {
            if (!timedOut.get()) {
                deadline.cancel();
            }
            leave(w);
        });
        w.result.whenComplete((a, ex) -> {
            if (ex == null) {
                waiter.complete(a);
            } else {
                waiter.completeExceptionally(
                        ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex);
            }
        });
        return waiter;
    }

    @Override
    public IntentApproval await(String approvalId, Duration timeout) {
        CompletableFuture<IntentApproval> f = whenDecided(approvalId, timeout);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while waiting for intent approval " + approvalId, null, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("waiting for intent approval " + approvalId + " failed", c);
        } catch (CancellationException e) {
            throw new StackInterruptedException(
                    "the wait for intent approval " + approvalId + " was cancelled", null, e);
        }
    }

    /** The watch of one approval: one poll loop, shared by its waiters. */
    private static final class Watch {
        final String approvalId;
        final CompletableFuture<IntentApproval> result = new CompletableFuture<>();
        int waiters; // guarded by lock
        boolean stopped; // guarded by lock
        TaskScheduler.@Nullable Cancellable next; // guarded by lock

        Watch(String approvalId) {
            this.approvalId = approvalId;
        }
    }

    private Watch join(String approvalId) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the client is closed: cannot wait for intent approval " + approvalId);
            }
            Watch w = watches.get(approvalId);
            if (w == null) {
                w = new Watch(approvalId);
                watches.put(approvalId, w);
                w.waiters = 1;
                scheduleLocked(w, Duration.ZERO);
            } else {
                w.waiters++;
            }
            return w;
        } finally {
            lock.unlock();
        }
    }

    private void leave(Watch w) {
        lock.lock();
        try {
            w.waiters--;
            if (w.waiters == 0 && !w.stopped) {
                w.stopped = true;
                watches.remove(w.approvalId, w);
                TaskScheduler.Cancellable n = w.next;
                if (n != null) {
                    n.cancel();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void scheduleLocked(Watch w, Duration delay) {
        try {
            w.next = ctx.scheduler().schedule("stack-intent-approval-poll", delay, () -> poll(w));
        } catch (IllegalStateException e) {
            w.stopped = true;
            watches.remove(w.approvalId, w);
            w.result.completeExceptionally(new IllegalStateException(
                    "the client is closed: stopped waiting for intent approval " + w.approvalId, e));
        }
    }

    private void poll(Watch w) {
        lock.lock();
        try {
            if (w.stopped) {
                return;
            }
        } finally {
            lock.unlock();
        }
        IntentApproval a;
        try {
            a = read(w.approvalId);
        } catch (StackException e) {
            if (transientFailure(e)) {
                again(w);
            } else {
                finish(w, null, e);
            }
            return;
        } catch (RuntimeException e) {
            finish(w, null, e);
            return;
        }
        switch (a.status()) {
            case PENDING -> again(w);
            case APPROVED -> finish(w, a, null);
            case REJECTED ->
                finish(
                        w,
                        null,
                        new StackIntentRejectedException(
                                "the owner rejected intent " + a.approvalId() + " (" + a.namedIntent() + "); STACK"
                                        + " revoked the passport it was submitted under"
                                        + (a.blockFuture() ? " and blocked the agent" : ""),
                                a.approvalId(),
                                a.blockFuture()));
            default ->
                finish(
                        w,
                        null,
                        new StackIntentApprovalRequiredException(
                                IntentErrors.what("intent_approval_" + wire(a.status()), a.approvalId()),
                                0,
                                null,
                                null,
                                "intent_approval_" + wire(a.status()),
                                a.approvalId(),
                                null));
        }
    }

    private static boolean transientFailure(StackException e) {
        return e instanceof StackNetworkException
                || e instanceof StackTimeoutException
                || e instanceof StackServerException
                || e instanceof StackRateLimitedException
                || e instanceof StackCircuitOpenException;
    }

    private void again(Watch w) {
        lock.lock();
        try {
            if (!w.stopped) {
                scheduleLocked(w, pollInterval);
            }
        } finally {
            lock.unlock();
        }
    }

    private void finish(Watch w, @Nullable IntentApproval a, @Nullable Throwable failure) {
        lock.lock();
        try {
            if (w.stopped && failure instanceof StackInterruptedException) {
                return; // the last waiter left while the read was in flight
            }
            w.stopped = true;
            watches.remove(w.approvalId, w);
        } finally {
            lock.unlock();
        }
        if (failure != null) {
            w.result.completeExceptionally(failure);
        } else {
            w.result.complete(Objects.requireNonNull(a, "approval"));
        }
    }

    private static String wire(IntentApprovalStatus s) {
        return s.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Fails every wait: the client is closing. */
    @Override
    public void close() {
        List<Watch> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayList<>(watches.values());
            watches.clear();
            all.forEach(w -> w.stopped = true);
        } finally {
            lock.unlock();
        }
        for (Watch w : all) {
            w.result.completeExceptionally(new IllegalStateException(
                    "the client was closed while waiting for intent approval " + w.approvalId));
        }
    }
}
