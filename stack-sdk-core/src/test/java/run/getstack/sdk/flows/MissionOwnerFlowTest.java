package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionEndReason;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionLimits;
import run.getstack.sdk.mission.MissionRecipients;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.PauseDecision;
import run.getstack.sdk.mission.RecipientPin;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.RemoteVerification;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.passport.VerifiedPassport;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FakeMission;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Missions from the owner's side and what their caps count, against the fake (issue 15): open without a passport,
 * an agent refused on review while the owner's close ends the mission, caps counted on leases and proxy calls
 * (actions, bytes, cents, per service), recipients only the owner adds, and a refresh that narrows the scopes.
 */
class MissionOwnerFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @TempDir
    Path home;

    private FakeControlPlane fake;
    private String agent;
    private String openai;
    private ManualTaskScheduler scheduler;
    private StackClient client;
    private final MockWebServer upstream = new MockWebServer();

    @BeforeEach
    void seed(FakeControlPlane fake) throws Exception {
        this.fake = fake;
        upstream.start();
        agent = fake.seed()
                .newAgent("owned-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        openai = fake.seed().connection("openai", "sk-test-owned", "chat", "embed");
        fake.seed().grant(agent, openai, "chat", "embed");
        scheduler = new ManualTaskScheduler(CLOCK);
        client = ClientTestHooks.scheduler(FlowSupport.client(fake, CLOCK, agent), scheduler)
                .build();
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        upstream.close();
    }

    private static MissionRequest.Builder request() {
        return MissionRequest.builder("answer the inbox").services("openai");
    }

    /** A client whose own passport belongs to a mission it starts from {@code request}. */
    private StackClient missionClient(MissionRequest request) {
        client.close();
        client = ClientTestHooks.scheduler(FlowSupport.client(fake, CLOCK, agent), scheduler)
                .missionRequest(request)
                .build();
        client.passport().current(); // starts the mission
        return client;
    }

    private ProxyResponse proxy(String body) {
        upstream.enqueue(new MockResponse.Builder().code(200).body("0123456789").build());
        return client.proxy()
                .call(ProxyRequest.builder(
                                "openai", "POST", upstream.url("/v1/chat").toString())
                        .jsonBody(body)
                        .build());
    }

    @Test
    void aMissionOpenedWithoutAPassportIssuesOneUnderIt() {
        MissionInfo opened = client.missions().open(request().build());
        assertThat(opened.status()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(opened.passportJti()).as("open issues nothing").isNull();
        assertThat(fake.auditLog().withAction("passport.issue")).isEmpty();

        Passport p = client.passports()
                .issue(
                        agent,
                        PassportRequest.builder().missionId(opened.missionId()).build());
        assertThat(fake.owner().mission(opened.missionId()).passportJtis()).containsExactly(p.jti());
        RemoteVerification v = client.passports().verify(p.token(), null);
        assertThat(v.valid()).isTrue();
        assertThat(v.missionId()).contains(opened.missionId());

        client.missions().complete(opened.missionId(), null);
        assertThatThrownBy(() -> client.passports().requireUsable(p)).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void anAgentIsRefusedOnReviewWhileTheOwnersCloseEndsTheMission() {
        Mission m = missionClient(request()
                        .limits(MissionLimits.builder().maxActions(1).build())
                        .build())
                .currentMission();
        Passport held = m.passport();
        try (Lease first = client.leases().acquire(LeaseRequest.provider("openai"))) {
            assertThat(first.secret().revealPlaintext()).isEqualTo("sk-test-owned");
        }
        assertThatThrownBy(() -> client.leases().acquire(LeaseRequest.provider("openai")))
                .isInstanceOf(StackMissionPausedException.class);

        try (StackClient asAgent = FlowSupport.client(fake, CLOCK, agent)
                .agentKeyFile(home.resolve(agent + ".json"))
                .build()) {
            assertThatThrownBy(() -> asAgent.missions().decide(m.id(), PauseDecision.raise(5)))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.httpStatus()).isEqualTo(403));
        }
        assertThat(fake.owner().mission(m.id()).status())
                .as("the agent decided nothing")
                .isEqualTo("paused");

        MissionInfo closed = client.missions().decide(m.id(), PauseDecision.close());
        assertThat(closed.status()).isEqualTo(MissionStatus.COMPLETED);
        assertThat(closed.endReason()).isEqualTo(MissionEndReason.COMPLETED_CAP_BREACHED);
        assertThat(m.awaitDecision(Duration.ofMinutes(1)).status()).isEqualTo(MissionStatus.COMPLETED);
        assertThatThrownBy(() -> client.passports().requireUsable(held))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThat(fake.isRevoked(held.jti())).isTrue();
        assertThatThrownBy(() -> client.missions().decide(m.id(), PauseDecision.continueAsIs()))
                .isInstanceOfSatisfying(
                        StackConflictException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("MISSION_NOT_PAUSED"));
    }

    @Test
    void leaseGrantsAreCountedPerServiceAndThePauseNamesTheCapAndTheService() {
        Mission m = missionClient(request()
                        .limits(MissionLimits.builder()
                                .maxActionsPerService("openai", 2)
                                .build())
                        .build())
                .currentMission();
        client.leases()
                .acquire(LeaseRequest.provider("openai").withPurpose("one"))
                .close();
        client.leases()
                .acquire(LeaseRequest.provider("openai").withPurpose("two"))
                .close();
        assertThat(fake.owner().mission(m.id()).actionsByService()).containsEntry("openai", 2L);

        assertThatThrownBy(() ->
                        client.leases().acquire(LeaseRequest.provider("openai").withPurpose("three")))
                .isInstanceOfSatisfying(StackMissionPausedException.class, e -> {
                    assertThat(e.pausedCap()).isEqualTo(MissionLimits.MAX_ACTIONS_PER_SERVICE);
                    assertThat(e.pausedService()).isEqualTo("openai");
                    assertThat(e.missionId()).isEqualTo(m.id());
                });
        assertThat(m.refresh().usage().actions()).isEqualTo(2);

        fake.owner().raise(m.id(), 3);
        assertThat(m.awaitDecision(Duration.ofMinutes(1)).status()).isEqualTo(MissionStatus.ACTIVE);
        client.leases()
                .acquire(LeaseRequest.provider("openai").withPurpose("four"))
                .close();
        assertThat(fake.owner().mission(m.id()).actions()).isEqualTo(3);
    }

    @Test
    void proxyCallsCountBytesAndCentsAndEachPauseNamesItsCap() {
        String body = "{\"q\":\"hi\"}"; // 10 bytes, and 10 come back
        fake.seed().proxyCallPrice("openai", 4);
        Mission m = missionClient(request()
                        .limits(MissionLimits.builder()
                                .maxBytes(40)
                                .maxCents(100)
                                .build())
                        .build())
                .currentMission();
        assertThat(proxy(body).status()).isEqualTo(200);
        assertThat(proxy(body).status()).isEqualTo(200);
        FakeMission used = fake.owner().mission(m.id());
        assertThat(used.bytes()).isEqualTo(40);
        assertThat(used.cents()).isEqualTo(8);

        assertThatThrownBy(() -> proxy(body))
                .isInstanceOfSatisfying(
                        StackMissionPausedException.class,
                        e -> assertThat(e.pausedCap()).isEqualTo(MissionLimits.MAX_BYTES));
        assertThat(upstream.getRequestCount()).isEqualTo(2);

        assertThat(client.missions().decide(m.id(), PauseDecision.raise(1_000)).status())
                .isEqualTo(MissionStatus.ACTIVE);
        assertThat(m.awaitDecision(Duration.ofMinutes(1)).status()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(proxy(body).status()).isEqualTo(200);
        assertThat(fake.owner().mission(m.id()).cents()).isEqualTo(12);
        assertThat(m.refresh().usage().bytes()).isEqualTo(60);
    }

    @Test
    void onlyTheOwnerAddsRecipientsEachKeptOnceAndNotToAnEndedMission() {
        MissionInfo opened = client.missions()
                .open(request().recipients(List.of("ops@example.com")).build());
        MissionRecipients after = client.missions()
                .addRecipients(
                        opened.missionId(),
                        List.of("ops@example.com", "+15550100"),
                        List.of(RecipientPin.everyField("eq", "team@example.com")));
        assertThat(after.missionId()).isEqualTo(opened.missionId());
        assertThat(after.recipients()).containsExactly("ops@example.com", "+15550100");
        assertThat(after.pins()).containsExactly(new RecipientPin("*", "eq", "team@example.com"));
        assertThat(client.missions()
                        .addRecipients(opened.missionId(), List.of("+15550100"))
                        .recipients())
                .as("nothing removed, nothing doubled")
                .containsExactly("ops@example.com", "+15550100");

        assertThatThrownBy(() -> client.missions().addRecipients(opened.missionId(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("recipients");
        assertThatThrownBy(() -> client.missions().addRecipients(opened.missionId(), List.of("x".repeat(321))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("recipients");
        assertThatThrownBy(() -> new RecipientPin("*", "Equals", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("op");

        try (StackClient asAgent = FlowSupport.client(fake, CLOCK, agent)
                .agentKeyFile(home.resolve(agent + ".json"))
                .build()) {
            assertThatThrownBy(() -> asAgent.missions().addRecipients(opened.missionId(), List.of("me@evil.test")))
                    .isInstanceOf(StackPermissionException.class);
        }

        Mission held = client.missions().start(request().build());
        held.addRecipients(List.of("held@example.com"));
        held.complete();
        assertThatThrownBy(() -> client.missions().addRecipients(held.id(), List.of("late@example.com")))
                .isInstanceOfSatisfying(
                        StackConflictException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("MISSION_ENDED"));
    }

    @Test
    void aRefreshDropsWhatTheGrantNoLongerGivesAndTheSdkShowsTheNarrowedScopes() {
        missionClient(request().build());
        Passport first = client.passport().current();
        try (PassportVerifier verifier = PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + "/v1/.well-known/jwks.json")
                .clock(CLOCK)
                .build()) {
            assertThat(verifier.verify(first.token().revealPlaintext()).scopesFor("openai"))
                    .containsExactlyInAnyOrder("chat", "embed");

            fake.seed().grant(agent, openai, "chat"); // replaced by a narrower grant: applies at once
            Passport refreshed = client.passports().refresh(first);
            assertThat(refreshed.jti()).isNotEqualTo(first.jti());
            VerifiedPassport narrowed = verifier.verify(refreshed.token().revealPlaintext());
            assertThat(narrowed.scopesFor("openai")).isEqualTo(Set.of("chat"));
            assertThat(client.passports().verify(refreshed.token(), null).scopes())
                    .extracting(ServiceScope::scopes)
                    .containsExactly(List.of("chat"));
            assertThat(verifier.verify(first.token().revealPlaintext()).scopesFor("openai"))
                    .as("the old passport keeps what it was issued with")
                    .containsExactlyInAnyOrder("chat", "embed");
        }
    }
}
