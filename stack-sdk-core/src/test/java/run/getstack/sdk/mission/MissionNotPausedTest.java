package run.getstack.sdk.mission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code MISSION_NOT_PAUSED} is typed (issue #22), against the fake. */
class MissionNotPausedTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @Test
    void decidingAMissionThatIsNotPausedIsTyped(FakeControlPlane fake) {
        String agent = fake.seed().agent("worker", "standard");
        try (Harness h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK)) {
            String missionId = h.client.currentMission().id();
            StackMissionNotPausedException e = catchThrowableOfType(
                    StackMissionNotPausedException.class,
                    () -> h.client.missions().decide(missionId, PauseDecision.continueAsIs()));
            assertThat(e).isNotNull().isInstanceOf(StackConflictException.class);
            assertThat(e.errorCode()).isEqualTo("MISSION_NOT_PAUSED");
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(fake.owner().mission(missionId).status()).isEqualTo("active");
        }
    }
}
