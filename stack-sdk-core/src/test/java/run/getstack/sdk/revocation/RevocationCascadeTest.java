package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.mission.RevokeReason;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.RevokeAll;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Every cascade the feed carries ends the agent's own passport the same way: the holder stops serving it, credential
 * calls are refused, and the {@code revocation.seen} event names the feed's event type.
 */
class RevocationCascadeTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    /** What the operator does to the agent's passport. */
    interface Cascade {
        void apply(StackClient operator, StackClient holder, Passport held, String agent, String connection);
    }

    FakeControlPlane fake;
    String agent;
    String connection;
    ManualTaskScheduler scheduler;
    StackClient holder;
    StackClient operator;
    final List<ClientEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("cascade-bot", "standard");
        connection = fake.seed().connection("openai", "sk-test-cascade", "chat");
        fake.seed().grant(agent, connection, "chat");
        scheduler = new ManualTaskScheduler(CLOCK);
        StackClient.Builder b = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
        holder = ClientTestHooks.scheduler(b, scheduler).build();
        operator = ClientTestHooks.withoutRevocationFollower(StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .clock(CLOCK)
                        .retryPolicy(RetryPolicy.none()))
                .build();
        ClientTestHooks.events(holder).subscribe(e -> {
            if (e.action().equals("revocation.seen")) {
                seen.add(e);
            }
        });
    }

    @AfterEach
    void close() {
        holder.close();
        operator.close();
    }

    static Stream<Arguments> cascades() {
        return Stream.of(
                Arguments.of(
                        "single", (Cascade) (op, h, p, a, c) -> op.passports().revoke(p.jti(), "direct")),
                Arguments.of("bulk_agent", (Cascade)
                        (op, h, p, a, c) -> op.passports().revokeAgent(a, "agent revoked")),
                Arguments.of(
                        "bulk_agent", (Cascade) (op, h, p, a, c) -> op.agents().delete(a)),
                Arguments.of("bulk_session", (Cascade) (op, h, p, a, c) ->
                        op.passports().revokeSession(java.util.Objects.requireNonNull(p.sessionId()), "session")),
                Arguments.of(
                        "single", (Cascade) (op, h, p, a, c) -> op.services().disconnect(c)),
                Arguments.of("mission", (Cascade) (op, h, p, a, c) ->
                        op.missions().complete(h.currentMission().id(), null)),
                Arguments.of("mission", (Cascade) (op, h, p, a, c) ->
                        op.missions().revoke(h.currentMission().id(), RevokeReason.ADVERSARIAL, "seen exfiltrating")),
                Arguments.of("bulk_operator", (Cascade) (op, h, p, a, c) ->
                        op.passports().revokeAll(RevokeAll.confirm(RevokeAll.CONFIRMATION_PHRASE))));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("cascades")
    void eachCascadeEndsTheHeldPassportEverywhere(String type, Cascade cascade) {
        Passport held = holder.passport().current();
        scheduler.runDue();

        cascade.apply(operator, holder, held, agent, connection);
        CLOCK.advance(Duration.ofSeconds(1));
        scheduler.runDue();

        assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> holder.credentials().get("openai")).isInstanceOf(StackPassportRevokedException.class);
        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(e.passportJti()).isEqualTo(held.jti());
            assertThat(e.detail()).containsEntry("event_type", "revocation." + type);
        });
    }
}
