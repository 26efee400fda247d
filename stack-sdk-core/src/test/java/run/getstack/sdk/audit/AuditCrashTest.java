package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static run.getstack.sdk.audit.AuditTestSupport.chainIncidents;
import static run.getstack.sdk.audit.AuditTestSupport.client;
import static run.getstack.sdk.audit.AuditTestSupport.clientChainAtFake;
import static run.getstack.sdk.audit.AuditTestSupport.config;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** A writer in a real child JVM killed with SIGKILL mid-stream; a new writer on its spool loses and repeats nothing. */
class AuditCrashTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(TestClock.create()));

    @TempDir
    Path dir;

    @Test
    void aWriterKilledMidStreamIsReplayedByTheNextWithNothingLostAndNothingDuplicated(FakeControlPlane fake)
            throws Exception {
        String agent = fake.seed().agent("crasher", "standard");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        AuditChildMain.class.getName(),
                        fake.baseUrl(),
                        fake.operatorApiKey(),
                        agent,
                        dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long confirmed = 0;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                confirmed = Long.parseLong(line.substring("recorded ".length()));
                if (confirmed >= 400
                        && !fake.auditLog().withAction("child.step").isEmpty()) {
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, a send possibly in flight
            child.waitFor();
        }
        assertThat(confirmed)
                .as("the child recorded events before it was killed")
                .isGreaterThanOrEqualTo(400);
        int deliveredBeforeRestart = fake.auditLog().withAction("child.step").size();

        try (StackClient stack = client(fake, agent, config(dir).build()).build()) {
            AuditFlushResult r = stack.audit().flush(Duration.ofSeconds(30));
            for (int i = 0; i < 20 && !r.isComplete(); i++) {
                r = stack.audit().flush(Duration.ofSeconds(30));
            }
            assertThat(r.isComplete()).as(r.toString()).isTrue();
            stack.audit().record(AuditEvent.action("after.restart"));
            assertThat(stack.audit().flush(Duration.ofSeconds(30)).isComplete()).isTrue();
        }
        List<ChainedAuditEvent> chain = clientChainAtFake(fake, agent);
        long steps = chain.stream().filter(e -> e.action().equals("child.step")).count();
        assertThat(steps)
                .as("every event the child confirmed (and perhaps a few queued after)")
                .isGreaterThanOrEqualTo(confirmed);
        assertThat(steps).isGreaterThanOrEqualTo(deliveredBeforeRestart);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
            assertThat(chain.get(i).clientSeq()).isEqualTo(i + 1L);
            assertThat(ids.add(chain.get(i).eventId()))
                    .as("event %s only once", chain.get(i).eventId())
                    .isTrue();
        }
        assertThat(chain.get(chain.size() - 1).action()).isEqualTo("after.restart");
        assertThat(ClientChainVerifier.verify(chain).valid()).isTrue();
        assertThat(chainIncidents(fake))
                .as("no gap and no restart of the chain")
                .isZero();
        assertThat(fake.auditLog().verifyChain().valid()).isTrue();
    }
}
