package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionEndReason;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionLimits;
import run.getstack.sdk.mission.MissionReport;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.RevokeReason;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.DelegationRequest;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportReport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FakeMission;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Missions end to end against the fake control plane and its clock (issue 15's tests). */
class MissionFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private String agent;
    private ManualTaskScheduler scheduler;
    private StackClient client;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed()
                .newAgent("mission-bot")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT) // reads raw credentials
                .create();
        String openai = fake.seed().connection("openai", "sk-test-mission", "chat");
        fake.seed().grant(agent, openai, "chat");
        this.scheduler = new ManualTaskScheduler(CLOCK);
        this.client = ClientTestHooks.scheduler(FlowSupport.client(fake, CLOCK, agent), scheduler)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static MissionRequest.Builder request() {
        return MissionRequest.builder("summarise the inbox").services("openai");
    }

    /** A credential fetch under the passport, sent raw (one action of the mission). */
    private HttpResponse<String> fetchCredential(Passport p) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/credentials/openai"))
                                .header("Authorization", "Bearer " + fake.operatorApiKey())
                                .header("X-Passport-Token", p.token().revealPlaintext())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noPassportWithoutAMissionAndTheSdkSaysWhatToDo() {
        assertThatThrownBy(() -> client.passports().issue(agent, PassportRequest.defaults()))
                .isInstanceOfSatisfying(StackInvalidRequestException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("MISSION_REQUIRED");
                    assertThat(e.getMessage()).contains("client.missions().start(");
                });
        assertThat(fake.auditLog().withAction("passport.issue")).isEmpty();
    }

    @Test
    void aTwoHourEnforcedMissionWithA300SecondIntervalStaysValidAndChecksInOnTime() {
        Mission m = client.missions()
                .start(request().checkpointInterval(Duration.ofSeconds(300)).build());
        String jti = m.passport().jti();
        for (int step = 0; step < 48; step++) { // 48 x 150 s = 2 h
            CLOCK.advance(Duration.ofSeconds(150));
            assertThat(scheduler.runDue()).as("one checkpoint per 150 s").isEqualTo(1);
            assertThat(m.passport().jti()).isEqualTo(jti);
            assertThat(client.passports().verify(m.passport().token(), null).valid())
                    .isTrue();
        }
        assertThat(fake.journal().count("POST", "/v1/passports/" + jti + "/checkpoint"))
                .isEqualTo(48);
        assertThat(fake.journal().entries("POST", "/v1/passports/" + jti + "/checkpoint"))
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        assertThat(client.passports().report(jti).checkpoints()).hasSize(48);
    }

    @Test
    void theLambdaFormCompletesWithTheOutputAndRevokesWithTheFailure() {
        MissionInfo done = client.missions().run(request().build(), mission -> mission.output(Map.of("n", 3)));
        assertThat(done.status()).isEqualTo(MissionStatus.COMPLETED);
        assertThat(done.outputDigest()).startsWith("sha256:");

        IllegalStateException boom = new IllegalStateException("inbox unreachable");
        assertThatThrownBy(() -> client.missions().run(request().build(), mission -> {
                    throw boom;
                }))
                .isSameAs(boom);
        FakeMission failed = fake.owner().missions().get(1);
        assertThat(failed.status()).isEqualTo("revoked");
        assertThat(failed.endReason()).isEqualTo("operator_initiated_clean");
        assertThat(failed.notes()).as("the failure is in the notes").contains("inbox unreachable");
        assertThat(fake.isRevoked(failed.passportJtis().get(0))).isTrue();
    }

    @Test
    void outputRefusedByTheMissionsSchemaLeavesItLive() {
        Mission m = client.missions()
                .start(request()
                        .outputSchema(Map.of(
                                "type",
                                "object",
                                "required",
                                List.of("n"),
                                "properties",
                                Map.of("n", Map.of("type", "integer"))))
                        .build());
        m.output(Map.of("n", "three"));

        assertThatThrownBy(m::complete)
                .isInstanceOfSatisfying(
                        StackInvalidRequestException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("OUTPUT_SCHEMA_VIOLATION"));
        assertThat(m.refresh().status()).isEqualTo(MissionStatus.ACTIVE);
        m.output(Map.of("n", 3));
        assertThat(m.complete().status()).isEqualTo(MissionStatus.COMPLETED);
    }

    @Test
    void aCapPausesTheMissionMidRunRaiseResumesItAndCloseEndsIt() throws Exception {
        Mission m = client.missions()
                .start(request()
                        .limits(MissionLimits.builder().maxActions(2).build())
                        .build());
        Passport p = m.passport();
        assertThat(fetchCredential(p).statusCode()).isEqualTo(200);
        assertThat(fetchCredential(p).statusCode()).isEqualTo(200);
        HttpResponse<String> third = fetchCredential(p);
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(third.body()).contains("\"code\":\"MISSION_PAUSED\"", "\"paused_cap\":\"max_actions\"");

        // the SDK learns the typed state and refuses the mission's passport without a request
        assertThat(m.refresh().status()).isEqualTo(MissionStatus.PAUSED);
        assertThatThrownBy(m::passport)
                .isInstanceOfSatisfying(
                        StackMissionPausedException.class,
                        e -> assertThat(e.pausedCap()).isEqualTo(MissionLimits.MAX_ACTIONS));
        assertThat(m.awaitDecision(Duration.ZERO).status()).isEqualTo(MissionStatus.PAUSED);

        fake.owner().raise(m.id(), 3);
        assertThat(m.awaitDecision(Duration.ofMinutes(1)).status()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(fetchCredential(m.passport()).statusCode()).isEqualTo(200);
        assertThat(fetchCredential(m.passport()).statusCode()).isEqualTo(409);

        fake.owner().close(m.id());
        MissionInfo closed = m.awaitDecision(Duration.ofMinutes(1));
        assertThat(closed.status()).isEqualTo(MissionStatus.COMPLETED);
        assertThat(closed.endReason()).isEqualTo(MissionEndReason.COMPLETED_CAP_BREACHED);
        assertThatThrownBy(() -> client.passports().requireUsable(p)).isInstanceOf(StackPassportRevokedException.class);
        assertThat(fake.isRevoked(p.jti())).isTrue();
    }

    @Test
    void completionAndRevocationEndTheHeldPassportEverywhere() {
        client.close();
        client = ClientTestHooks.scheduler(FlowSupport.client(fake, CLOCK, agent), scheduler)
                .missionRequest(request().build())
                .build();
        Passport own = client.passport().current();
        Mission current = client.currentMission();
        current.complete();
        assertThat(client.passport().isTerminal()).isTrue();
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> client.passports().requireUsable(own))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThat(client.passports().verify(own.token(), null).failureReason()).contains("revoked");

        Mission other = client.missions().start(request().build());
        Passport p = other.passport();
        other.revoke(RevokeReason.ADVERSARIAL, "prompt injection suspected");
        assertThatThrownBy(other::passport).isInstanceOf(StackPassportRevokedException.class);
        assertThat(client.passports().verify(p.token(), null).failureReason()).contains("revoked");
        assertThat(client.missions()
                        .revoke(other.id(), RevokeReason.ADVERSARIAL, null)
                        .transitioned())
                .isFalse();
    }

    @Test
    void anIdempotentStartAndARenewal() {
        MissionRequest req = request().authorityRequestId("inbox-2026-01-01").build();
        Mission a = client.missions().start(req);
        Mission b = client.missions().start(req);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(fake.owner().missions()).hasSize(1);

        Mission renewed = a.renew();
        assertThat(renewed.id()).isNotEqualTo(a.id());
        assertThat(renewed.info().renewedFrom()).isEqualTo(a.id());
        assertThat(client.missions().get(a.id()).endReason()).isEqualTo(MissionEndReason.RENEWED);
        assertThatThrownBy(a::passport).isInstanceOf(StackPassportRevokedException.class);
        assertThat(client.passports().verify(renewed.passport().token(), null).valid())
                .isTrue();
    }

    @Test
    void theReportOfAMissionWithADelegatedChild() {
        String helper = fake.seed().agent("helper-bot", "enforced"); // as accountable as its parent
        Mission m = client.missions().start(request().build());
        Passport child = client.passports()
                .delegate(m.passport(), DelegationRequest.builder(helper).build());
        m.output(Map.of("n", 1));
        m.complete();

        MissionReport report = m.report();

        assertThat(report.passports())
                .extracting(PassportReport::jti)
                .containsExactly(m.info().passportJti(), child.jti());
        assertThat(report.passports().get(1).parentJti()).isEqualTo(m.info().passportJti());
        assertThat(report.audit())
                .extracting(MissionReport.AuditRecord::action)
                .contains("passport.issue", "passport.delegate", "passport.revoke", "passport.revoke_cascade");
        assertThat(report.toText())
                .contains("mission " + m.id(), "parent:   " + m.info().passportJti());
        assertThat(report.toJson()).contains("\"mission_id\":\"" + m.id() + "\"", child.jti());
        assertThat(fake.isRevoked(child.jti())).isTrue();
    }
}
