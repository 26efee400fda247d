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

    @Override
    public String toString() {
        return "MissionOwner[operator=" + operatorId + "]";
    }
}
