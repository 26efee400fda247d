package run.getstack.sdk.testkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.missions.Mission;
import run.getstack.sdk.testkit.internal.passports.Passport;

/**
 * The owner's side of the default operator's missions, for tests ({@link FakeControlPlane#owner()}): decide a paused
 * mission as STACK's {@code stack_review_paused_mission} does (the same rules as {@code POST
 * /v1/missions/{id}/review} with the operator key), and read a mission's state. Thread-safe.
 */
public final class MissionOwner {
    private final Engine engine;
    private final String operatorId;

    MissionOwner(Engine engine, String operatorId) {
        this.engine = engine;
        this.operatorId = operatorId;
    }

    /**
     * Raises the cap that paused the mission.
     *
     * @param missionId the mission
     * @param newLimit above the old limit, in the cap's unit
     * @return the mission after the decision
     * @throws IllegalStateException if it is not paused ({@code MISSION_NOT_PAUSED})
     */
    public FakeMission raise(String missionId, long newLimit) {
        return decide(missionId, "raise", newLimit);
    }

    /**
     * Lets the mission go on with its limits unchanged.
     *
     * @param missionId the mission
     * @return the mission after the decision
     */
    public FakeMission continueMission(String missionId) {
        return decide(missionId, "continue", null);
    }

    /**
     * Ends the mission as {@code completed_cap_breached}, revoking its passports.
     *
     * @param missionId the mission
     * @return the mission after the decision
     */
    public FakeMission close(String missionId) {
        return decide(missionId, "close", null);
    }

    private FakeMission decide(String missionId, String decision, @Nullable Long limit) {
        Objects.requireNonNull(missionId, "missionId");
        return engine.locked(() -> {
            try {
                engine.missions().review(operatorId, missionId, decision, limit, "owner");
            } catch (ApiError e) {
                if (e.status() == 404 || e.status() == 400) {
                    throw new IllegalArgumentException("owner decision refused: " + e.getMessage(), e);
                }
                throw new IllegalStateException("owner decision refused: " + e.getMessage(), e);
            }
            return snapshot(engine.missions().own(operatorId, missionId));
        });
    }

    /**
     * Returns a mission as it is now.
     *
     * @param missionId the mission
     * @return its state
     * @throws IllegalArgumentException if the default operator has no such mission
     */
    public FakeMission mission(String missionId) {
        Objects.requireNonNull(missionId, "missionId");
        return engine.locked(() -> {
            try {
                return snapshot(engine.missions().own(operatorId, missionId));
            } catch (ApiError e) {
                throw new IllegalArgumentException("no mission " + missionId, e);
            }
        });
    }

    /**
     * Returns every mission of the default operator, in start order.
     *
     * @return the missions
     */
    public List<FakeMission> missions() {
        return engine.locked(() ->
                engine.missions().all(operatorId).stream().map(this::snapshot).toList());
    }

    private FakeMission snapshot(Mission m) {
        Map<String, Long> limits = new LinkedHashMap<>(m.limits);
        m.perService.forEach((k, v) -> limits.put("max_actions_per_service." + k, v));
        List<String> jtis = engine.passports().ofMission(m.id).stream()
                .sorted((a, b) -> a.issuedAt.compareTo(b.issuedAt))
                .map((Passport p) -> p.jti)
                .toList();
        return new FakeMission(
                m.id,
                m.agentId,
                m.status,
                m.endReason,
                m.pausedCap,
                m.pausedService,
                m.actions,
                m.actionsByService,
                m.cents,
                m.bytes,
                limits,
                jtis,
                m.outputDigest,
                m.notes,
                m.startedAt);
    }

    /**
     * Approves an action a control policy held (the owner on STACK's approval page; wire protocol §15): the agent
     * may then resend the exact request once with {@code X-Control-Ref}, within one hour from now.
     *
     * @param controlRef the ref of the {@code CONTROL_DENIED}/{@code review_required} refusal
     * @return the end of the resend window
     * @throws IllegalArgumentException if the default operator has no such hold
     * @throws IllegalStateException if it is not pending (approved, rejected, consumed, expired or superseded)
     */
    public java.time.Instant approveHold(String controlRef) {
        Objects.requireNonNull(controlRef, "controlRef");
        return engine.locked(() -> {
            try {
                return engine.controls().approve(operatorId, controlRef);
            } catch (ApiError e) {
                throw holdRefused(e);
            }
        });
    }

    /**
     * Rejects an action a control policy held: a resend is refused ({@code review_rejected}).
     *
     * @param controlRef the ref
     * @throws IllegalArgumentException if the default operator has no such hold
     * @throws IllegalStateException if it is not pending
     */
    public void rejectHold(String controlRef) {
        Objects.requireNonNull(controlRef, "controlRef");
        engine.locked(() -> {
            try {
                engine.controls().reject(operatorId, controlRef);
                return null;
            } catch (ApiError e) {
                throw holdRefused(e);
            }
        });
    }

    /**
     * Approves a pending intent, as a person does with {@code stack_decide_intent}: the agent may then make the call
     * it names, once.
     *
     * @param approvalId the {@code ia_…} approval
     * @throws IllegalArgumentException if the default operator has no such approval
     * @throws IllegalStateException if it is not pending (decided or expired)
     */
    public void approveIntent(String approvalId) {
        decideIntent(approvalId, true, false);
    }

    /**
     * Rejects a pending intent: STACK revokes the passport it was submitted under and, with {@code blockFuture},
     * blocks the agent (unblocking it later needs a governance approval when those are on).
     *
     * @param approvalId the {@code ia_…} approval
     * @param blockFuture whether to block the agent's future passports
     * @throws IllegalArgumentException if the default operator has no such approval
     * @throws IllegalStateException if it is not pending
     */
    public void rejectIntent(String approvalId, boolean blockFuture) {
        decideIntent(approvalId, false, blockFuture);
    }

    /**
     * Returns an intent approval's status now: {@code pending}, {@code approved}, {@code rejected}, {@code expired}
     * or {@code consumed} (its lifetime runs on the fake's clock).
     *
     * @param approvalId the {@code ia_…} approval
     * @return the status
     * @throws IllegalArgumentException if the default operator has no such approval
     */
    public String intentStatus(String approvalId) {
        Objects.requireNonNull(approvalId, "approvalId");
        return ownerCall(() -> engine.intents().status(operatorId, approvalId));
    }

    private void decideIntent(String approvalId, boolean approve, boolean blockFuture) {
        Objects.requireNonNull(approvalId, "approvalId");
        ownerCall(() -> {
            engine.intents().decide(operatorId, approvalId, approve, blockFuture, "owner");
            return Boolean.TRUE;
        });
    }

    /**
     * Returns where a held action stands.
     *
     * @param controlRef the ref
     * @return {@code pending}, {@code approved}, {@code consumed}, {@code rejected}, {@code expired}, or {@code
     *     superseded} (approved, then held again on its resend by a policy put in force after it was held: the new
     *     hold has its own ref and needs its own approval)
     * @throws IllegalArgumentException if the default operator has no such hold
     */
    public String holdStatus(String controlRef) {
        Objects.requireNonNull(controlRef, "controlRef");
        return engine.locked(() -> {
            try {
                return engine.controls().status(operatorId, controlRef);
            } catch (ApiError e) {
                throw holdRefused(e);
            }
        });
    }

    /**
     * Approves a pending governance approval in the browser, as the person a {@code GOVERNANCE_APPROVAL_REQUIRED}
     * answer names: the same request resent with {@code governance_approval_id} then passes once.
     *
     * @param approvalId the {@code gvr_…} approval
     * @throws IllegalArgumentException if the default operator has no such approval
     * @throws IllegalStateException if it is not pending
     */
    public void approveGovernance(String approvalId) {
        Objects.requireNonNull(approvalId, "approvalId");
        ownerCall(() -> {
            engine.governance().decide(operatorId, approvalId, true);
            return Boolean.TRUE;
        });
    }

    /**
     * Rejects a pending governance approval: the change is never applied under it.
     *
     * @param approvalId the {@code gvr_…} approval
     * @throws IllegalArgumentException if the default operator has no such approval
     * @throws IllegalStateException if it is not pending
     */
    public void rejectGovernance(String approvalId) {
        Objects.requireNonNull(approvalId, "approvalId");
        ownerCall(() -> {
            engine.governance().decide(operatorId, approvalId, false);
            return Boolean.TRUE;
        });
    }

    /**
     * Returns a governance approval's status now: {@code pending}, {@code approved}, {@code rejected}, {@code
     * consumed} or {@code expired}.
     *
     * @param approvalId the {@code gvr_…} approval
     * @return the status
     * @throws IllegalArgumentException if the default operator has no such approval
     */
    public String governanceStatus(String approvalId) {
        Objects.requireNonNull(approvalId, "approvalId");
        return ownerCall(() -> engine.governance().status(operatorId, approvalId));
    }

    private <T> T ownerCall(java.util.function.Supplier<T> action) {
        return engine.locked(() -> {
            try {
                return action.get();
            } catch (ApiError e) {
                if (e.status() == 404 || e.status() == 400) {
                    throw new IllegalArgumentException("owner decision refused: " + e.getMessage(), e);
                }
                throw new IllegalStateException("owner decision refused: " + e.getMessage(), e);
            }
        });
    }

    private static RuntimeException holdRefused(ApiError e) {
        return e.status() == 404
                ? new IllegalArgumentException("no held action with that control ref", e)
                : new IllegalStateException("hold decision refused: " + e.messageText(), e);
    }

    @Override
    public String toString() {
        return "MissionOwner[operator=" + operatorId + "]";
    }
}
