package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static run.getstack.sdk.audit.AuditTestSupport.client;
import static run.getstack.sdk.audit.AuditTestSupport.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.audit.internal.DefaultAuditWriter;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Group commit runs on the client's one clock and scheduler: the fsync cadence follows the configured interval. */
class AuditGroupCommitTest {
    static final Duration INTERVAL = Duration.ofMinutes(10);
    static final String COMMIT = "stack-audit-group-commit";

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    @TempDir
    Path dir;

    FakeControlPlane fake;
    String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed().agent("committer", "standard");
    }

    /** Waits for something another thread does (the writer's own thread); never a timing assertion. */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void theSpoolIsForcedWhenTheIntervalHasPassedOnTheClientsClockAndNotBefore() throws InterruptedException {
        TestClock clock = TestClock.create();
        ManualTaskScheduler scheduler = new ManualTaskScheduler(clock);
        AuditConfig cfg = config(dir)
                .durability(AuditDurability.GROUP_COMMIT)
                .groupCommitInterval(INTERVAL)
                .closeTimeout(Duration.ZERO)
                .build();
        try (StackClient stack = ClientTestHooks.scheduler(client(fake, agent, cfg), scheduler)
                .clock(clock)
                .build()) {
            DefaultAuditWriter audit = (DefaultAuditWriter) stack.audit();
            long before = audit.spoolForces();
            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < 3; i++) {
                    audit.record(AuditEvent.action("tool.call").detail("round", round));
                }
                long spooled = 3L * round;
                await("spooled " + spooled, () -> audit.stats().spooled() == spooled);
                await("the group commit scheduled", () -> scheduler.pending().contains(COMMIT));

                clock.advance(INTERVAL.minusMillis(1));
                scheduler.runDue();
                assertThat(audit.spoolForces())
                        .as("nothing forced before the interval is over")
                        .isEqualTo(before + round - 1);
                assertThat(audit.stats().acknowledged())
                        .as("nothing leaves the spool before it is on disk")
                        .isEqualTo(3L * (round - 1));

                clock.advance(Duration.ofMillis(1));
                assertThat(scheduler.runDue()).isPositive();
                long forced = before + round;
                await("forced once more", () -> audit.spoolForces() == forced);
                assertThat(scheduler.pending()).doesNotContain(COMMIT);

                // now on disk, the events go out with the next send
                await("a send scheduled", () -> scheduler.pending().contains("stack-audit-send"));
                clock.advance(Duration.ofSeconds(1));
                scheduler.runDue();
                assertThat(audit.stats().acknowledged()).isEqualTo(3L * round);
                assertThat(audit.spoolForces()).as("one fsync per interval").isEqualTo(forced);
            }
        }
    }
}
