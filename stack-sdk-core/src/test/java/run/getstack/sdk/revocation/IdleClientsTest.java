package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * A thousand idle clients, each holding a passport, against one fake: each follows the feed with exactly one parked
 * long poll (counted at the fake), on the client's own scheduler with the default {@code wait}.
 */
class IdleClientsTest {
    static final int CLIENTS = 1_000;

    @Test
    void aThousandIdleClientsHoldAtMostOneParkedPollEach() throws InterruptedException {
        OkHttpClient shared = new OkHttpClient();
        List<StackClient> clients = new ArrayList<>(CLIENTS);
        FakeControlPlane fake = FakeControlPlane.start();
        try {
            String agent = fake.seed().agent("idle-bot", "standard");
            for (int i = 0; i < CLIENTS; i++) {
                StackClient c = StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .agentId(agent)
                        .okHttpClient(shared)
                        .retryPolicy(RetryPolicy.none())
                        .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                        .build();
                clients.add(c);
                c.passport().current(); // holding a passport starts the client's follower
            }
            int most = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // a liveness guard, not a measure
            while (fake.parkedRevocationPolls() < CLIENTS && System.nanoTime() < deadline) {
                most = Math.max(most, fake.parkedRevocationPolls());
                Thread.sleep(20);
            }
            int parked = fake.parkedRevocationPolls();
            most = Math.max(most, parked);

            assertThat(parked).as("every idle client parks one poll").isEqualTo(CLIENTS);
            assertThat(most).as("never more than one per client").isLessThanOrEqualTo(CLIENTS);
            assertThat(fake.journal().count("GET", "/v1/revocations/{jti}"))
                    .as("one status check per held passport at start")
                    .isLessThanOrEqualTo(CLIENTS);
        } finally {
            clients.forEach(StackClient::close); // cancels each parked poll
            fake.close();
            shared.dispatcher().executorService().shutdown();
            shared.connectionPool().evictAll();
        }
    }
}
