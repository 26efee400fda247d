package run.getstack.sdk.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.StackException;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Managed credentials: kept fresh on the client's scheduler (run by hand here), rotations told to a listener. */
class ManagedLeaseTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    static final String OPENAI_KEY = "sk-test-managed-openai-c0ffee";

    private FakeControlPlane fake;
    private Harness h;
    private final Recorder listener = new Recorder();

    /** Records what the listener is told; checks the old value is still usable during a rotation. */
    static final class Recorder implements LeaseListener {
        final List<String> told = new CopyOnWriteArrayList<>();
        final List<Lease[]> rotations = new CopyOnWriteArrayList<>();
        final List<StackException> errors = new CopyOnWriteArrayList<>();
        volatile boolean oldUsableDuringRotation;

        @Override
        public void onRotation(Lease previous, Lease next) {
            told.add("rotation");
            rotations.add(new Lease[] {previous, next});
            oldUsableDuringRotation = previous.isLive();
        }

        @Override
        public void onExpired(Lease expired) {
            told.add("expired");
        }

        @Override
        public void onError(StackException error, boolean terminal) {
            told.add(terminal ? "terminal-error" : "error");
            errors.add(error);
        }
    }

    @BeforeEach
    void seed(FakeControlPlane fake) {
        run.getstack.sdk.LogLeakCheck.watch(OPENAI_KEY);
        this.fake = fake;
        String agent = fake.seed()
                .newAgent("managed-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String openai = fake.seed().connection("openai", OPENAI_KEY, "chat");
        fake.seed().grant(agent, openai, "chat");
        this.h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private static LeaseRequest openai300() {
        return LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(300));
    }

    /** Moves the clock to the next background task and runs what is due. */
    private void runNext() {
        Instant due = h.scheduler.nextDue();
        assertThat(due).as("a background task is scheduled").isNotNull();
        if (due.isAfter(CLOCK.instant())) {
            CLOCK.set(due);
        }
        h.scheduler.runDue();
    }

    @Test
    void theBackgroundTaskRenewsAtTwoThirdsOfTheTimeLeft() {
        Instant t0 = CLOCK.instant();
        try (ManagedCredential managed = h.client.leases().managed(openai300(), listener)) {
            assertThat(h.scheduler.nextDue()).isEqualTo(t0.plusSeconds(200));
            runNext();
            assertThat(fake.journal().count("POST", "/v1/leases/*/renew")).isEqualTo(1);
            assertThat(managed.current().expiresAt()).isEqualTo(t0.plusSeconds(500));
            assertThat(h.scheduler.nextDue()).isEqualTo(t0.plusSeconds(400));
            assertThat(listener.told).isEmpty();
            assertThat(managed.current().secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        }
        assertThat(fake.journal().count("DELETE", "/v1/leases/*")).isEqualTo(1);
        assertThat(h.scheduler.pending()).isEmpty();
    }

    @Test
    void atTheCeilingTheListenerGetsTheOldAndTheNewLeaseAndTheOldIsReleasedAfterwards() {
        try (ManagedCredential managed = h.client.leases().managed(openai300(), listener)) {
            Lease first = managed.current();
            for (int i = 0; i < 10 && listener.rotations.isEmpty(); i++) {
                runNext();
            }
            assertThat(listener.told).containsExactly("rotation");
            Lease[] r = listener.rotations.get(0);
            assertThat(r[0].fingerprint()).isEqualTo(first.fingerprint());
            assertThat(r[1].fingerprint()).isNotEqualTo(first.fingerprint());
            assertThat(listener.oldUsableDuringRotation).isTrue();
            assertThat(managed.current().fingerprint()).isEqualTo(r[1].fingerprint());
            assertThat(fake.journal().count("POST", "/v1/leases")).isEqualTo(2);
            assertThat(fake.journal().count("DELETE", "/v1/leases/*")).isEqualTo(1);
            assertThat(managed.current().secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        }
    }

    @Test
    void anOutageIsReportedTheLeaseServedUntilExpiryThenExpiryToldAndRecoveryRotates() {
        Instant t0 = CLOCK.instant();
        ManagedCredential managed = h.client.leases().managed(openai300(), listener);
        Lease first = managed.current();
        fake.faults().on("*", "/v1/leases/**").respondWith(503);
        runNext(); // t0 + 200: the renewal fails
        assertThat(listener.told).containsExactly("error");
        assertThat(first.isLive()).isTrue();
        Instant retry = h.scheduler.nextDue();
        // retried with backoff bounded by the time left (at most half of it)
        assertThat(retry).isAfter(CLOCK.instant()).isBeforeOrEqualTo(t0.plusSeconds(250));
        while (CLOCK.instant().isBefore(t0.plusSeconds(300))) {
            assertThat(first.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
            runNext();
        }
        assertThat(listener.told).contains("expired").doesNotContain("rotation");
        assertThat(listener.told.stream().filter("expired"::equals)).hasSize(1);
        assertThat(first.isLive()).isFalse();
        fake.faults().clear();
        runNext();
        assertThat(listener.told).endsWith("rotation");
        assertThat(managed.current().isLive()).isTrue();
        assertThat(managed.current().fingerprint()).isNotEqualTo(first.fingerprint());
        managed.close();
    }

    @Test
    void aNetworkFailureDuringRenewalNamesTheLeaseByFingerprintNeverByItsRawId() {
        // independent review, finding 1: the raw lease id was in the transport's exception message
        try (ManagedCredential managed = h.client.leases().managed(openai300(), listener)) {
            String fingerprint = managed.current().fingerprint();
            fake.faults().on("*", "/v1/leases/**").disconnectBeforeResponse();
            runNext();
            assertThat(listener.errors).isNotEmpty();
            assertThat(listener.errors.get(0).getMessage())
                    .doesNotContainPattern("lse_[a-z0-9]{8,}")
                    .contains("/v1/leases/{" + fingerprint + "}/renew");
            fake.faults().clear();
        }
    }

    @Test
    void aRevokedPassportStopsManagementWithATerminalError() {
        ManagedCredential managed = h.client.leases().managed(openai300(), listener);
        h.client.passports().revoke(h.client.passport().current().jti(), "test");
        h.scheduler.runDue(); // the background release
        assertThat(managed.current().isLive()).isFalse();
        runNext();
        assertThat(listener.told).containsExactly("terminal-error");
        assertThat(h.scheduler.pending()).isEmpty();
        managed.close();
    }

    @Test
    void invalidatingTheManagedCredentialRotatesOnce() {
        try (ManagedCredential managed = h.client.leases().managed(openai300(), listener)) {
            Lease first = managed.current();
            Lease next = managed.invalidate();
            assertThat(next.fingerprint()).isNotEqualTo(first.fingerprint());
            assertThat(listener.told).containsExactly("rotation");
            assertThat(fake.journal().count("POST", "/v1/leases")).isEqualTo(2);
            assertThat(fake.journal().count("DELETE", "/v1/leases/*")).isEqualTo(1);
        }
    }
}
