package run.getstack.sdk.testkit.internal.missions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The boundaries of {@link MissionCaps} on their own (wire protocol §10.4.5): a count that lands exactly on a cap is
 * allowed, the one that would pass it pauses the mission, names the cap, counts nothing and is refused; a paused
 * mission refuses every count until the owner raises or continues.
 */
class MissionCapsTest {
    final TestClock clock = TestClock.create();
    final MissionStore store = new MissionStore();
    final List<String> pauses = new ArrayList<>();
    MissionCaps caps;
    Mission m;

    @BeforeEach
    void setUp() {
        caps = new MissionCaps(
                new FakeState(clock), store, (mission, trace) -> pauses.add(mission.pausedCap + "@" + trace));
        m = new Mission(
                "ms_1", "op_1", "agt_1", "caps", List.of("openai"), List.of(), null, null, null, clock.instant());
        store.missions.put(m.id, m);
    }

    private void limits(Map<String, Long> limits) {
        caps.seedLimits(m.id, limits);
    }

    private static ApiError refused(Executable call) {
        try {
            call.execute();
        } catch (ApiError e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected an ApiError", t);
        }
        throw new AssertionError("the call was not refused");
    }

    private void assertPausedBy(ApiError e, String cap) {
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.code()).isEqualTo("MISSION_PAUSED");
        assertThat(e.details().path("paused_cap").asText()).isEqualTo(cap);
        assertThat(m.status).isEqualTo("paused");
        assertThat(m.pausedCap).isEqualTo(cap);
    }

    @Test
    void actionsUpToExactlyTheCapPassAndTheOneOverPausesUncounted() {
        limits(Map.of("max_actions", 3L));
        caps.countAction(m.id, "openai", "req_1");
        caps.countAction(m.id, "openai", "req_2");
        caps.countAction(m.id, "openai", "req_3"); // exactly at the cap
        assertThat(m.actions).isEqualTo(3);
        assertThat(m.status).isEqualTo("active");
        assertThat(pauses).isEmpty();

        assertPausedBy(refused(() -> caps.countAction(m.id, "openai", "req_4")), "max_actions");
        assertThat(m.actions).isEqualTo(3);
        assertThat(m.actionsByService).containsEntry("openai", 3L);
        assertThat(pauses).containsExactly("max_actions@req_4");
    }

    @Test
    void aPausedMissionRefusesEveryCountWithoutPausingAgain() {
        limits(Map.of("max_actions", 1L));
        caps.countAction(m.id, "openai", "a");
        refused(() -> caps.countAction(m.id, "openai", "b"));
        ApiError again = refused(() -> caps.countProxyCall(m.id, "anthropic", 0, "c"));
        assertPausedBy(again, "max_actions");
        assertThat(pauses).hasSize(1);
        assertThat(m.actionsByService).doesNotContainKey("anthropic");
    }

    @Test
    void thePerServiceCapCountsOnlyItsServiceAndNamesIt() {
        limits(Map.of("max_actions_per_service.openai", 2L));
        caps.countAction(m.id, "openai", null);
        caps.countAction(m.id, "anthropic", null);
        caps.countAction(m.id, "anthropic", null);
        caps.countAction(m.id, "openai", null); // exactly at openai's cap
        ApiError e = refused(() -> caps.countAction(m.id, "openai", null));
        assertPausedBy(e, "max_actions_per_service");
        assertThat(e.details().path("paused_service").asText()).isEqualTo("openai");
        assertThat(m.pausedService).isEqualTo("openai");
        assertThat(m.actionsByService).containsEntry("openai", 2L).containsEntry("anthropic", 2L);
    }

    @Test
    void aProxyCallWhoseRequestBytesLandExactlyOnMaxBytesPasses() {
        limits(Map.of("max_bytes", 100L));
        caps.countProxyCall(m.id, "openai", 60, null);
        caps.countProxyCall(m.id, "openai", 40, null); // 100 of 100
        assertThat(m.bytes).isEqualTo(100);
        assertThat(m.status).isEqualTo("active");
    }

    @Test
    void aProxyCallWhoseRequestBytesWouldPassMaxBytesIsPausedAndNotCounted() {
        limits(Map.of("max_bytes", 100L));
        caps.countProxyCall(m.id, "openai", 60, null);
        assertPausedBy(refused(() -> caps.countProxyCall(m.id, "openai", 41, null)), "max_bytes");
        assertThat(m.bytes).isEqualTo(60);
        assertThat(m.actions).isEqualTo(1);
    }

    @Test
    void aProxyCallWhosePriceLandsExactlyOnMaxCentsPassesAndTheNextIsPausedUncharged() {
        limits(Map.of("max_cents", 10L));
        caps.priceProxyCalls("openai", 5);
        caps.countProxyCall(m.id, "openai", 0, null);
        caps.countProxyCall(m.id, "openai", 0, null); // 10 of 10
        assertThat(m.cents).isEqualTo(10);
        assertThat(m.status).isEqualTo("active");

        assertPausedBy(refused(() -> caps.countProxyCall(m.id, "openai", 0, null)), "max_cents");
        assertThat(m.cents).isEqualTo(10);
        assertThat(m.actions).isEqualTo(2);
    }

    @Test
    void aCallPricedOverWhatIsLeftIsPausedEvenWhenActionsRemain() {
        limits(Map.of("max_cents", 7L, "max_actions", 100L));
        caps.priceProxyCalls("openai", 4);
        caps.countProxyCall(m.id, "openai", 0, null);
        assertPausedBy(refused(() -> caps.countProxyCall(m.id, "openai", 0, null)), "max_cents");
        assertThat(m.cents).isEqualTo(4);
    }

    @Test
    void credentialAndLeaseActionsAreNeverCharged() {
        limits(Map.of("max_cents", 1L));
        caps.priceProxyCalls("openai", 5);
        caps.countAction(m.id, "openai", null);
        caps.countAction(m.id, "openai", null);
        assertThat(m.cents).isZero();
        assertThat(m.actions).isEqualTo(2);
    }

    @Test
    void responseBytesExactlyAtMaxBytesKeepTheMissionRunningAndOneMoreByteMakesTheNextCallRefused() {
        limits(Map.of("max_bytes", 50L));
        caps.countProxyCall(m.id, "openai", 20, null);
        caps.countResponseBytes(m.id, 30, "resp_1"); // 50 of 50
        assertThat(m.status).isEqualTo("active");
        assertThat(pauses).isEmpty();

        caps.countResponseBytes(m.id, 1, "resp_2"); // performed already: counted, then paused
        assertThat(m.bytes).isEqualTo(51);
        assertThat(m.status).isEqualTo("paused");
        assertThat(m.pausedCap).isEqualTo("max_bytes");
        assertThat(pauses).containsExactly("max_bytes@resp_2");
        assertPausedBy(refused(() -> caps.countProxyCall(m.id, "openai", 0, null)), "max_bytes");
        assertThat(m.actions).isEqualTo(1);
    }

    @Test
    void secondsUpToTheCapPassAndOneSecondOverPauses() {
        limits(Map.of("max_seconds", 60L));
        clock.advance(Duration.ofSeconds(60));
        caps.countAction(m.id, "openai", null); // exactly 60 s in
        clock.advance(Duration.ofSeconds(1));
        assertPausedBy(refused(() -> caps.countAction(m.id, "openai", null)), "max_seconds");
        assertThat(m.actions).isEqualTo(1);
    }

    @Test
    void raisingTheCapThatPausedResumesWithTheCountsKeptAndRefusesALimitNotAboveTheOld() {
        limits(Map.of("max_actions", 1L));
        caps.countAction(m.id, "openai", null);
        refused(() -> caps.countAction(m.id, "openai", null));

        ApiError notAbove = refused(() -> MissionCaps.raise(m, 1));
        assertThat(notAbove.status()).isEqualTo(400);
        assertThat(m.status).isEqualTo("paused");

        MissionCaps.raise(m, 2);
        assertThat(m.status).isEqualTo("active");
        assertThat(m.pausedCap).isNull();
        assertThat(m.limits).containsEntry("max_actions", 2L);
        caps.countAction(m.id, "openai", null); // 2 of 2
        assertPausedBy(refused(() -> caps.countAction(m.id, "openai", null)), "max_actions");
    }

    @Test
    void raisingAPerServicePauseRaisesThatServicesCap() {
        limits(Map.of("max_actions_per_service.openai", 1L));
        caps.countAction(m.id, "openai", null);
        refused(() -> caps.countAction(m.id, "openai", null));
        MissionCaps.raise(m, 3);
        assertThat(m.perService).containsEntry("openai", 3L);
        assertThat(m.limits).doesNotContainKey("max_actions");
    }

    @Test
    void missionsThatAreUnknownOrEndedCountNothing() {
        limits(Map.of("max_actions", 1L));
        caps.countAction(null, "openai", null);
        caps.countAction("ms_unknown", "openai", null);
        caps.countResponseBytes("ms_unknown", 10, null);
        m.status = "completed";
        caps.countAction(m.id, "openai", null);
        caps.countAction(m.id, "openai", null);
        caps.countResponseBytes(m.id, 10, null);
        assertThat(m.actions).isZero();
        assertThat(m.bytes).isZero();
        assertThat(pauses).isEmpty();
    }

    @Test
    void limitsAreReadAsPositiveIntegersAndAnythingElseIsRefusedByName() {
        Body ok = Body.of(
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(
                        Map.of("max_actions", 1, "max_cents", 2, "max_actions_per_service", Map.of("openai", 3))),
                "limits.");
        MissionCaps.readLimits(m, ok);
        assertThat(m.limits).containsEntry("max_actions", 1L).containsEntry("max_cents", 2L);
        assertThat(m.perService).containsEntry("openai", 3L);

        Body zeroPer = Body.of(
                (com.fasterxml.jackson.databind.node.ObjectNode)
                        Json.MAPPER.valueToTree(Map.of("max_actions_per_service", Map.of("openai", 0))),
                "limits.");
        assertThat(refused(() -> MissionCaps.readLimits(m, zeroPer)).getMessage())
                .contains("limits.max_actions_per_service.openai");
        assertThatThrownBy(() -> caps.seedLimits(m.id, Map.of("max_widgets", 1L)))
                .isInstanceOf(ApiError.class)
                .hasMessageContaining("limits.max_widgets");
        assertThatThrownBy(() -> caps.seedLimits(m.id, Map.of("max_actions", 0L)))
                .isInstanceOf(ApiError.class)
                .hasMessageContaining("limits.max_actions");
        assertThatThrownBy(() -> caps.priceProxyCalls("openai", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
