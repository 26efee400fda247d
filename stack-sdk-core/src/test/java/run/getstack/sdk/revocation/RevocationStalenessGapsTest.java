package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseListener;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.lease.ManagedCredential;
import run.getstack.sdk.lease.StackLeaseRevokedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.revocation.internal.RevocationFollower;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Lease renewal checks the revocation staleness bound like an acquire: past the bound with no answer the renewal
 * fails closed and a managed lease stops serving, unless fail-open was chosen. Concurrent checks past the bound
 * share one status request.
 */
class RevocationStalenessGapsTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    static final LeaseRequest OPENAI = LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(3));

    FakeControlPlane fake;
    String agent;
    ManualTaskScheduler scheduler;
    StackClient holder;
    final List<StackException> errors = new CopyOnWriteArrayList<>();
    final List<Lease> rotations = new CopyOnWriteArrayList<>();
    final LeaseListener listener = new LeaseListener() {
        @Override
        public void onRotation(Lease previous, Lease next) {
            rotations.add(next);
        }

        @Override
        public void onError(StackException error, boolean terminal) {
            errors.add(error);
        }
    };

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        fake.faults().clear();
        agent = fake.seed()
                .newAgent("renew-stale-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String openai = fake.seed().connection("openai", "sk-test-renew-stale", "chat");
        fake.seed().grant(agent, openai, "chat");
        scheduler = new ManualTaskScheduler(CLOCK);
    }

    @AfterEach
    void close() {
        if (holder != null) {
            holder.close();
        }
        fake.faults().clear();
    }

    StackClient holder(Consumer<StackClient.Builder> config) {
        StackClient.Builder b = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(
                        PassportRefreshPolicy.builder().jitterFraction(0).build());
        ClientTestHooks.scheduler(b, scheduler);
        ClientTestHooks.revocationWait(b, 0);
        ClientTestHooks.random(b, () -> 0.0);
        config.accept(b);
        return b.build();
    }

    /** Control plane's revocation answers fail from now on (feed and status). */
    void revocationUnreachable() {
        fake.faults().on("GET", "/v1/revocations").respondWith(503);
        fake.faults().on("GET", "/v1/revocations/{jti}").respondWith(503);
    }

    /** Advances past the renewal point (2/3 of the 3 min TTL, jittered down) in 1 s steps, running what falls due. */
    void advanceToRenewal() {
        for (int i = 0; i < 130; i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            scheduler.runDue();
        }
    }

    @Test
    void aManagedLeaseWhoseRenewalIsPastTheBoundWithNoAnswerStopsServingAndResumesWhenAnswered() {
        holder = holder(b -> {});
        holder.passport().current();
        scheduler.runDue();
        ManagedCredential managed = holder.leases().managed(OPENAI, listener);
        Lease first = managed.current();
        assertThat(first.secret()).isNotNull();
        revocationUnreachable();
        int renewals = fake.journal().count("POST", "/v1/leases/*/renew");

        advanceToRenewal();

        assertThat(fake.journal().count("POST", "/v1/leases/*/renew"))
                .as("the renewal is refused before sending")
                .isEqualTo(renewals);
        assertThat(errors).anySatisfy(e -> assertThat(e).isInstanceOf(StackRevocationUnknownException.class));
        assertThatThrownBy(() -> managed.current().secret())
                .isInstanceOf(StackLeaseRevokedException.class)
                .satisfies(e -> assertThat(((StackLeaseRevokedException) e).why())
                        .isEqualTo(StackLeaseRevokedException.Why.REVOCATION_UNKNOWN));
        assertThat(managed.current().isLive()).isFalse();

        fake.faults().clear();
        for (int i = 0; i < 40 && rotations.isEmpty(); i++) {
            CLOCK.advance(Duration.ofSeconds(1));
            scheduler.runDue();
        }
        assertThat(rotations).as("a new lease once the control plane answers").hasSize(1);
        assertThat(managed.current().secret()).isNotNull();
        managed.close();
    }

    @Test
    void failOpenRenewsPastTheBound() {
        holder = holder(b -> b.revocationFailOpen(true));
        holder.passport().current();
        scheduler.runDue();
        ManagedCredential managed = holder.leases().managed(OPENAI, listener);
        revocationUnreachable();
        int renewals = fake.journal().count("POST", "/v1/leases/*/renew");

        advanceToRenewal();

        assertThat(fake.journal().count("POST", "/v1/leases/*/renew")).isGreaterThan(renewals);
        assertThat(managed.current().secret()).isNotNull();
        assertThat(errors).noneSatisfy(e -> assertThat(e).isInstanceOf(StackRevocationUnknownException.class));
        managed.close();
    }

    /** Makes the follower's knowledge of the holder's passport older than the bound, the feed failing. */
    Passport staleKnowledge() {
        holder = holder(b -> {});
        Passport p = holder.passport().current();
        scheduler.runDue();
        fake.faults().on("GET", "/v1/revocations").respondWith(503);
        CLOCK.advance(Duration.ofSeconds(61));
        scheduler.runDue();
        return p;
    }

    Thread checking(RevocationFollower follower, Passport p, List<Throwable> failures) {
        Thread t = new Thread(() -> {
            try {
                follower.requireFresh(p);
            } catch (Throwable e) {
                failures.add(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits (a latch-like wait, not an assertion on time) until the condition holds. */
    static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached");
            }
            Thread.sleep(5);
        }
    }

    static long parked(List<Thread> threads) {
        return threads.stream()
                .filter(t -> t.getState() == Thread.State.WAITING)
                .count();
    }

    @Test
    void concurrentChecksPastTheBoundSendOneStatusRequestAndShareItsAnswer() throws Exception {
        Passport p = staleKnowledge();
        RevocationFollower follower = Objects.requireNonNull(ClientTestHooks.revocationFollower(holder));
        int before = fake.journal().count("GET", "/v1/revocations/{jti}");
        FaultRule gate = fake.faults().on("GET", "/v1/revocations/{jti}").hold();
        int n = 8;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(checking(follower, p, failures));
        }
        assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
        // every other caller either waits for the one request in flight, or (the bug) sent its own
        awaitUntil(() -> gate.heldCount() > 1 || parked(threads) >= n - 1);
        gate.release();
        for (Thread t : threads) {
            t.join(30_000);
        }

        assertThat(failures).isEmpty();
        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}"))
                .as("one status request for all %d callers", n)
                .isEqualTo(before + 1);
    }

    @Test
    void anInterruptedWaiterStopsAtOnceWhileTheRequestGoesOnForTheOthers() throws Exception {
        Passport p = staleKnowledge();
        RevocationFollower follower = Objects.requireNonNull(ClientTestHooks.revocationFollower(holder));
        int before = fake.journal().count("GET", "/v1/revocations/{jti}");
        FaultRule gate = fake.faults().on("GET", "/v1/revocations/{jti}").hold();
        List<Throwable> asking = new CopyOnWriteArrayList<>();
        List<Throwable> interrupted = new CopyOnWriteArrayList<>();
        List<Throwable> waiting = new CopyOnWriteArrayList<>();
        Thread first = checking(follower, p, asking);
        assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
        Thread stopped = checking(follower, p, interrupted);
        Thread other = checking(follower, p, waiting);
        awaitUntil(() -> gate.heldCount() > 1 || parked(List.of(stopped, other)) == 2);

        stopped.interrupt();
        stopped.join(30_000);
        assertThat(interrupted).singleElement().isInstanceOf(StackInterruptedException.class);
        assertThat(gate.heldCount()).as("the request is still in flight").isEqualTo(1);

        gate.release();
        first.join(30_000);
        other.join(30_000);
        assertThat(asking).isEmpty();
        assertThat(waiting).isEmpty();
        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}")).isEqualTo(before + 1);
    }
}
