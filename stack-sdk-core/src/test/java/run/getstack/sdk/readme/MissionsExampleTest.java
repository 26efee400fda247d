package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.credential.Credential;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionLimits;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** README's mission snippets, run against the fake control plane: the lambda form, and a pause the owner lifts. */
class MissionsExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    private static String seedAgent(FakeControlPlane fake) {
        String agentId = fake.seed()
                .newAgent("ticket-bot")
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        fake.seed().grant(agentId, fake.seed().connection("openai", "sk-test-not-real", "chat"), "chat");
        return agentId;
    }

    @Test
    void workUnderAMissionOfItsOwnIsCompletedWithItsOutput(FakeControlPlane fake) {
        String agentId = seedAgent(fake);
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .clock(CLOCK)
                .build()) {
            // readme:begin missions
            MissionInfo done = stack.missions()
                    .run(
                            MissionRequest.builder("summarise today's tickets")
                                    .services("openai")
                                    .limits(MissionLimits.builder()
                                            .maxActions(50)
                                            .build())
                                    .build(),
                            mission -> {
                                Passport passport = mission.passport(); // present it to the services it covers
                                assertThat(passport.jti()).isNotEmpty();
                                mission.output(Map.of("summarised", 42)); // completed with this on return
                            }); // a body that throws revokes the mission instead, and the exception is rethrown
            assertThat(done.status()).isEqualTo(MissionStatus.COMPLETED);
            // readme:end missions
        }
        assertThat(fake.owner().missions())
                .singleElement()
                .satisfies(m -> assertThat(m.status()).isEqualTo("completed"));
    }

    @Test
    void aCallPastACapPausesTheMissionAndTheAgentWaitsForTheOwner(FakeControlPlane fake) {
        String agentId = seedAgent(fake);
        AtomicInteger waits = new AtomicInteger();
        StackClient[] holder = new StackClient[1];
        try (StackClient stack = ClientTestHooks.sleeper(
                        StackClient.builder()
                                .baseUrl(fake.baseUrl())
                                .apiKey(fake.operatorApiKey())
                                .agentId(agentId)
                                .missionRequest(MissionRequest.builder("summarise today's tickets")
                                        .services("openai")
                                        .limits(MissionLimits.builder()
                                                .maxActions(1)
                                                .build())
                                        .build())
                                .clock(CLOCK),
                        d -> {
                            // the person raises the cap while the agent waits
                            if (waits.incrementAndGet() == 1) {
                                fake.owner().raise(holder[0].currentMission().id(), 2);
                            }
                            CLOCK.advance(d);
                        })
                .build()) {
            holder[0] = stack;
            assertThat(summarise(stack)).isEqualTo(1); // the one action the mission allows
            assertThat(afterACap(stack)).isEqualTo(1);
            assertThat(waits).hasPositiveValue();
            assertThat(fake.owner().mission(stack.currentMission().id()).actions())
                    .isEqualTo(2);
        }
    }

    private static int afterACap(StackClient stack) {
        // readme:begin mission-pause
        try {
            return summarise(stack);
        } catch (StackMissionPausedException e) {
            // a cap was reached (e.pausedCap(), e.pausedService()): that call was not made; the owner decides
            MissionInfo decided = stack.currentMission().awaitDecision(Duration.ofMinutes(30));
            if (decided.status() == MissionStatus.ACTIVE) {
                return summarise(stack); // the owner raised the cap or let the mission go on
            }
            return 0; // the owner closed the mission (or has not decided yet): stop here
        }
        // readme:end mission-pause
    }

    /** One action of the mission: a credential read. */
    private static int summarise(StackClient stack) {
        try (Credential key = stack.credentials().get("openai")) {
            return key.secret().revealPlaintext().isEmpty() ? 0 : 1;
        }
    }
}
