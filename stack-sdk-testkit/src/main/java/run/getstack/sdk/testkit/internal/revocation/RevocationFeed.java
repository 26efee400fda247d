package run.getstack.sdk.testkit.internal.revocation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportService;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Revocation status and the long-poll feed (wire protocol §7, [Extension]). A parked
 * long-poll waits on a condition of the state lock, which releases the lock while it waits.
 */
public final class RevocationFeed {
    private static final int FEED_RETENTION = 10_000;

    private final FakeState state;
    private final FeedStore store;
    private final Services services;
    private final Condition revocationArrived;
    private boolean shuttingDown;

    RevocationFeed(FakeState state, FeedStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
        this.revocationArrived = state.newCondition();
    }

    /**
     * How many long-polls are parked waiting for an event.
     *
     * @return the count
     */
    public int waiters() {
        return state.locked(() -> store.waiters);
    }

    /** Ends every parked long-poll at once (used by close). */
    public void wakeWaiters() {
        state.locked(() -> {
            shuttingDown = true;
            revocationArrived.signalAll();
        });
    }

    /**
     * Publishes a revocation (nothing when no jti was newly revoked) and wakes parked long-polls; under the lock.
     *
     * @param operatorId operator
     * @param type event type
     * @param jti single passport or null
     * @param agentId bulk agent or null
     * @param sessionId bulk session or null
     * @param jtis newly revoked jtis
     * @param reason reason
     */
    public void emit(
            String operatorId,
            String type,
            @Nullable String jti,
            @Nullable String agentId,
            @Nullable String sessionId,
            List<String> jtis,
            String reason) {
        if (jtis.isEmpty()) {
            return;
        }
        append(operatorId, type, jti, agentId, sessionId, null, null, jtis, reason);
    }

    /**
     * Publishes the revocation of a mission's passports (wire protocol §10.4.4): one {@code mission} event.
     *
     * @param operatorId operator
     * @param missionId the mission that ended
     * @param jtis newly revoked jtis
     * @param reason reason
     */
    public void emitMission(String operatorId, String missionId, List<String> jtis, String reason) {
        if (jtis.isEmpty()) {
            return;
        }
        append(operatorId, "mission", null, null, null, missionId, null, jtis, reason);
    }

    /**
     * Publishes the revocation of the passports carrying a revoked identity claim (wire protocol §10.2): one {@code
     * bulk_claim} event.
     *
     * @param operatorId operator
     * @param claimId the revoked claim
     * @param jtis newly revoked jtis
     * @param reason reason
     */
    public void emitClaim(String operatorId, String claimId, List<String> jtis, String reason) {
        if (jtis.isEmpty()) {
            return;
        }
        append(operatorId, "bulk_claim", null, null, null, null, claimId, jtis, reason);
    }

    private void append(
            String operatorId,
            String type,
            @Nullable String jti,
            @Nullable String agentId,
            @Nullable String sessionId,
            @Nullable String missionId,
            @Nullable String claimId,
            List<String> jtis,
            String reason) {
        PassportService passports = services.get(PassportService.class);
        for (String j : jtis) {
            Passport p = passports.find(j);
            if (p != null) {
                p.revocationType = type;
            }
        }
        store.feed.addLast(new RevocationEvent(
                ++store.seq,
                operatorId,
                type,
                jti,
                agentId,
                sessionId,
                missionId,
                claimId,
                List.copyOf(jtis),
                reason,
                state.now()));
        while (store.feed.size() > FEED_RETENTION) {
            store.feed.removeFirst();
        }
        revocationArrived.signalAll();
    }

    ObjectNode status(String operatorId, String jti) {
        Passport p = services.get(PassportService.class).own(operatorId, jti);
        ObjectNode o = Json.object();
        o.put("jti", p.jti);
        o.put("revoked", p.revoked);
        if (p.revoked) {
            o.put("reason", p.revokedReason);
            o.put("revoked_at", Objects.requireNonNull(p.revokedAt).toEpochMilli());
            if (p.revocationType != null) {
                o.put("type", p.revocationType);
            }
        }
        o.put("checked_at", state.now().toEpochMilli());
        String current;
        if (p.checkedOutAt != null) {
            current = "checked_out";
        } else if (p.revoked) {
            current = "revoked";
        } else if (!state.now().isBefore(p.expiresAt)) {
            current = "expired";
        } else {
            current = "active";
        }
        o.put("state", current);
        return o;
    }

    EngineResponse feed(Call call) {
        String opId = call.operatorId();
        String actor = call.agentId();
        String since = call.query().get("since");
        String waitText = call.query().get("wait");
        long wait = 0;
        if (waitText != null) {
            try {
                wait = Long.parseLong(waitText);
            } catch (NumberFormatException e) {
                throw ApiError.invalid("wait", "must be an integer 0-30");
            }
            if (wait < 0 || wait > 30) {
                throw ApiError.invalid("wait", "must be an integer 0-30");
            }
        }
        PassportService passports = services.get(PassportService.class);
        state.lock();
        try {
            ObjectNode o = Json.object();
            ArrayNode arr = o.putArray("events");
            if (since == null) {
                o.put("cursor", "c_" + store.seq);
                return EngineResponse.json(200, o);
            }
            long from;
            try {
                if (!since.startsWith("c_")) {
                    throw new NumberFormatException();
                }
                from = Long.parseLong(since.substring(2));
            } catch (NumberFormatException e) {
                throw new ApiError(410, "CURSOR_EXPIRED", "Cursor unknown; re-sync", null);
            }
            RevocationEvent oldest = store.feed.peekFirst();
            if (from < 0 || from > store.seq || (oldest != null && from < oldest.seq() - 1)) {
                throw new ApiError(410, "CURSOR_EXPIRED", "Cursor unknown or too old; re-sync", null);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(wait);
            long cursor = from;
            while (true) {
                for (RevocationEvent e : store.feed) {
                    List<String> visible = e.jtis();
                    if (actor != null && !e.type().equals("bulk_operator")) {
                        visible = e.jtis().stream()
                                .filter(j -> {
                                    Passport vp = passports.find(j);
                                    return vp != null && vp.agentId.equals(actor);
                                })
                                .toList();
                    }
                    if (e.seq() > from && e.operatorId().equals(opId) && !visible.isEmpty() && arr.size() < 500) {
                        ObjectNode eo = arr.addObject();
                        eo.put("cursor", "c_" + e.seq());
                        eo.put("type", e.type());
                        if (e.jti() != null) {
                            eo.put("jti", e.jti());
                        }
                        if (e.agentId() != null) {
                            eo.put("agent_id", e.agentId());
                        }
                        if (e.sessionId() != null) {
                            eo.put("session_id", e.sessionId());
                        }
                        if (e.missionId() != null) {
                            eo.put("mission_id", e.missionId());
                        }
                        if (e.claimId() != null) {
                            eo.put("claim_id", e.claimId());
                        }
                        eo.set("jtis", Json.strings(visible));
                        eo.put("reason", e.reason());
                        eo.put("at", e.at().toEpochMilli());
                        cursor = e.seq();
                    }
                }
                if (arr.size() > 0) {
                    break;
                }
                cursor = Math.max(cursor, store.seq);
                long left = deadline - System.nanoTime();
                if (left <= 0 || shuttingDown) {
                    break;
                }
                try {
                    store.waiters++;
                    try {
                        revocationArrived.awaitNanos(left);
                    } finally {
                        store.waiters--;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ApiError(503, "SERVICE_UNAVAILABLE", "Server shutting down", null);
                }
            }
            o.put("cursor", "c_" + cursor);
            return EngineResponse.json(200, o);
        } finally {
            state.unlock();
        }
    }
}
