package run.getstack.sdk.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.StackTimeoutException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A proxy call carries its own time limit (docs/wire-protocol.md §6 and §11: 35 s, the upstream's 30 s plus STACK's
 * overhead) in place of the client's read timeout. The limit is shortened through the package-private seam so that
 * the tests need no long real wait: an upstream answer slower than the client's read timeout arrives within the
 * proxy's limit, and one slower than the limit fails typed although the read timeout would have waited.
 */
class ProxyCallTimeoutTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    private final MockWebServer upstream = new MockWebServer();
    private Harness h;

    @BeforeEach
    void seed(FakeControlPlane fake) throws IOException {
        upstream.start();
        String agent = fake.seed().agent("slow-upstream-bot", "standard");
        String github = fake.seed().connection("github", "ghp-upstream-slow-1", "repo");
        fake.seed().grant(agent, github, "repo");
        h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
        h.client.passport().current(); // issued under the client's ordinary timeouts
    }

    @AfterEach
    void close() throws IOException {
        h.close();
        upstream.close();
    }

    private ProxyResponse slowGet(long delayMillis) {
        upstream.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .headersDelay(delayMillis, TimeUnit.MILLISECONDS)
                .body("{\"login\":\"octocat\"}")
                .build());
        return h.client
                .proxy()
                .call(ProxyRequest.builder(
                                "github", "GET", upstream.url("/user").toString())
                        .build());
    }

    @Test
    void theDocumentedLimitIsTheUpstreamsThirtySecondsPlusFive() {
        assertThat(DefaultStackProxy.CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(35));
    }

    @Test
    void aCallSlowerThanTheProxyLimitFailsTypedEvenThoughTheReadTimeoutWouldHaveWaited() {
        ((DefaultStackProxy) h.client.proxy()).callTimeout(Duration.ofMillis(300));

        assertThatThrownBy(() -> slowGet(1_500)).isInstanceOf(StackTimeoutException.class);
    }

    @Test
    void aCallWithinTheProxyLimitArrives() {
        ((DefaultStackProxy) h.client.proxy()).callTimeout(Duration.ofSeconds(10));

        assertThat(slowGet(100).bodyText()).contains("octocat");
    }
}
