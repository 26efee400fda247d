package run.getstack.sdk;

import java.io.IOException;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The setup the proxy, review-hold, intent and skill flows share: a fake control plane started anew for each test on
 * {@link #CLOCK}, the agent a subclass seeds in {@link #seedAgent}, a real upstream on loopback for the proxy to
 * call, and a {@link CapabilityTestSupport#harness harness} acting for the agent (its builder from {@link
 * #builder()}). The fixture starts them before each test, in that order, and closes the client and the upstream
 * after it.
 */
public abstract class AgentFlowFixture {
    /** The fake's and the client's clock. */
    protected static final TestClock CLOCK = TestClock.create();

    /** A new fake per test, on {@link #CLOCK}. */
    @RegisterExtension
    protected static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    /** The upstream the proxy calls. */
    protected final MockWebServer upstream = new MockWebServer();

    /** This test's fake. */
    protected FakeControlPlane fake;

    /** The agent {@link #seedAgent} seeded. */
    protected String agent;

    /** The client acting for {@link #agent}; a test may replace it (the fixture closes the last one). */
    protected Harness h;

    @BeforeEach
    protected final void startAgentFlow(FakeControlPlane fake) throws IOException {
        upstream.start();
        this.fake = fake;
        this.agent = seedAgent(fake);
        this.h = CapabilityTestSupport.harness(builder(), CLOCK);
    }

    @AfterEach
    protected final void closeAgentFlow() throws IOException {
        h.close();
        upstream.close();
    }

    /**
     * Seeds the agent the client acts for, with its connections and grants.
     *
     * @param fake this test's fake
     * @return the agent's id
     */
    protected abstract String seedAgent(FakeControlPlane fake);

    /**
     * Returns the client's builder: {@link CapabilityTestSupport#builder} for {@link #agent}; override to add to it.
     *
     * @return the builder
     */
    protected StackClient.Builder builder() {
        return CapabilityTestSupport.builder(fake, CLOCK, agent);
    }

    /**
     * Seeds an enforced agent granted {@code slack} {@code chat:write}, with intent approvals required (wire protocol
     * §14.3), for {@link #seedAgent}.
     *
     * @param name the agent's name
     * @param slackToken the connection's secret
     * @return the agent's id; the connection's is {@link #slackConnection()}
     */
    protected final String seedEnforcedSlackAgent(String name, String slackToken) {
        String id = fake.seed().agent(name, "enforced");
        this.slackConnection = fake.seed().connection("slack", slackToken, "chat:write");
        fake.seed().grant(id, slackConnection, "chat:write");
        fake.seed().intentApprovalsRequired(true);
        return id;
    }

    private String slackConnection;

    /**
     * Returns the connection {@link #seedEnforcedSlackAgent} seeded.
     *
     * @return its id
     */
    protected final String slackConnection() {
        return slackConnection;
    }

    /**
     * Returns {@link #builder()}'s default with a mission for {@code slack}, as an enforced agent needs.
     *
     * @param summary the mission's intent summary
     * @return the builder
     */
    protected final StackClient.Builder onSlackMission(String summary) {
        return CapabilityTestSupport.builder(fake, CLOCK, agent)
                .missionRequest(
                        MissionRequest.builder(summary).services("slack").build());
    }
}
