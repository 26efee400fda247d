package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Review finding 4: an enrollment whose outcome is unknown (the request was sent, the answer lost) must not discard
 * the new private key, or an agent the server did enroll is locked out for good. The key is kept next to the key file
 * and checked against the server's enrolled public key on the next attempt.
 */
class AgentKeyUnknownEnrollmentOutcomeFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private static final String ENROLL = "/v1/agents/*/enroll";

    @TempDir
    Path home;

    private FakeControlPlane fake;
    private String agent;
    private Path keyFile;
    private Path pending;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("flaky-net-bot", "standard");
        keyFile = home.resolve(agent + ".json");
        pending = home.resolve(agent + ".json.pending");
    }

    private StackClient keyed() {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .agentKeyFile(keyFile)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(FlowSupport.NO_JITTER)
                .build();
    }

    @Test
    void anEnrollmentWhoseAnswerIsLostKeepsTheKeyAndTheNextStartAdoptsItWhenTheServerHasIt() throws Exception {
        fake.faults().on("POST", ENROLL).disconnectDuringResponseBody().times(1); // enrolled, answer lost
        try (StackClient first = keyed()) {
            assertThatThrownBy(() -> first.passports().listActive(agent, null))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("outcome is unknown")
                    .hasMessageContaining(pending.toString());
        }
        assertThat(keyFile).doesNotExist();
        assertThat(pending).isRegularFile();
        if (pending.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pending)))
                    .isEqualTo("rw-------");
        }

        try (StackClient restarted = keyed()) {
            restarted.passports().listActive(agent, null); // signed with the kept key: the server has it
        }
        assertThat(keyFile).isRegularFile();
        assertThat(pending).doesNotExist();
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", ENROLL, 1);
    }

    @Test
    void aKeptKeyThatCannotBeReadIsRefusedNamingTheFileAndNeverDeleted() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                home.getFileSystem().supportedFileAttributeViews().contains("posix"));
        fake.faults().on("POST", ENROLL).disconnectDuringResponseBody().times(1); // enrolled, answer lost
        try (StackClient first = keyed()) {
            assertThatThrownBy(() -> first.passports().listActive(agent, null)).isInstanceOf(StackException.class);
        }
        Files.setPosixFilePermissions(pending, PosixFilePermissions.fromString("rw-r--r--")); // widened by hand
        byte[] kept = Files.readAllBytes(pending);

        try (StackClient restarted = keyed()) {
            assertThatThrownBy(() -> restarted.passports().listActive(agent, null))
                    .isInstanceOf(run.getstack.sdk.StackConfigurationException.class)
                    .hasMessageContaining(pending.toString());
        }
        // the only copy of a key the server may hold: kept, never deleted, and no second enrollment
        assertThat(pending).isRegularFile();
        assertThat(Files.readAllBytes(pending)).isEqualTo(kept);
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", ENROLL, 1);
    }

    @Test
    void aKeptKeyTheServerDoesNotHoldIsDiscardedAndANewOneEnrolled() throws Exception {
        fake.faults().on("POST", ENROLL).disconnectBeforeResponse().times(1); // not processed: not enrolled
        try (StackClient first = keyed()) {
            assertThatThrownBy(() -> first.passports().listActive(agent, null))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("outcome is unknown");
        }
        assertThat(pending).isRegularFile();
        byte[] kept = Files.readAllBytes(pending);

        try (StackClient restarted = keyed()) {
            restarted.passports().listActive(agent, null);
        }
        assertThat(keyFile).isRegularFile();
        assertThat(Files.readAllBytes(keyFile)).isNotEqualTo(kept);
        assertThat(pending).doesNotExist();
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", ENROLL, 2);
    }

    @Test
    void anEnrollmentTheServerRefusedDiscardsTheKeyAtOnce() {
        fake.faults().on("POST", ENROLL).respondWith(400, "VALIDATION_ERROR").times(1);
        try (StackClient first = keyed()) {
            assertThatThrownBy(() -> first.passports().listActive(agent, null))
                    .isInstanceOf(StackInvalidRequestException.class);
        }
        assertThat(pending).doesNotExist();
        assertThat(keyFile).doesNotExist();
    }
}
