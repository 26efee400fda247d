package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A credentials-file token exchange never waits for a scheduler worker: when every worker of the client's scheduler
 * needs the first access token at once (renewals, polls and audit sends all run there), the exchange they all wait
 * for still runs. Review finding: the exchange was a scheduler task, queued behind the eight workers waiting for it.
 */
class CredentialsFileSchedulerTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @TempDir
    Path home;

    @Test
    void everySchedulerWorkerWaitingForTheFirstTokenStillGetsIt(FakeControlPlane fake) throws Exception {
        Path file = home.resolve(".stack").resolve("credentials.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"refresh_token\":\"" + fake.seed().refreshToken() + "\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (StackClient c = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .clock(CLOCK)
                .environment(Map.<String, String>of()::get)
                .homeDirectory(home)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .build()) {
            int workers = 8; // DefaultTaskScheduler's most workers
            CountDownLatch done = new CountDownLatch(workers);
            AtomicInteger succeeded = new AtomicInteger();
            for (int i = 0; i < workers; i++) {
                c.scheduler().submit("needs-a-token-" + i, () -> {
                    try {
                        c.services().catalog().stream().count(); // a call that needs the token
                        succeeded.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(60, TimeUnit.SECONDS))
                    .as("hang guard: every worker's call ends")
                    .isTrue();
            assertThat(succeeded).hasValue(workers);
            assertThat(fake.journal().count("POST", "/v1/oauth/token")).isEqualTo(1);
        }
    }
}
