package run.getstack.sdk.agentkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.Secret;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Issue 16 item 7: the agent key file is forced to disk before it gets its final name, and the directory after, so a
 * power loss cannot leave an empty key file for a key the server already holds.
 */
class AgentKeyFileSyncTest {
    @TempDir
    Path home;

    @Test
    void theTemporaryFileIsForcedBeforeTheMoveAndTheDirectoryAfterIt() {
        TestClock clock = TestClock.create();
        OkHttpClient http = new OkHttpClient();
        try (FakeControlPlane fake = FakeControlPlane.builder().clock(clock).start()) {
            String agent = fake.seed().agent("durable-bot", "standard");
            Path keyFile = home.resolve("agents").resolve(agent + ".json");
            AgentKeyAuth auth = new AgentKeyAuth(agent, keyFile, () -> Secret.of(fake.operatorApiKey()), false, clock);
            List<String> events = new CopyOnWriteArrayList<>();
            auth.syncListener(what -> events.add(what + (Files.exists(keyFile) ? " (key file present)" : "")));
            Transport transport = new Transport(
                    HttpUrl.get(fake.baseUrl()),
                    auth,
                    http,
                    clock,
                    RetryPolicy.none(),
                    CircuitBreakerPolicy.disabled(),
                    1 << 20,
                    Sleeper.THREAD_SLEEP,
                    () -> 0.5,
                    ErrorCodes.transportOnly());
            auth.transport(transport);

            auth.get(); // enrolls

            assertThat(keyFile).isRegularFile();
            assertThat(events).hasSize(3);
            assertThat(events.get(0))
                    .isEqualTo("file " + agent + ".json.pending")
                    .doesNotContain("present");
            assertThat(events.get(1)).isEqualTo("dir agents");
            assertThat(events.get(2)).isEqualTo("dir agents (key file present)");
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
