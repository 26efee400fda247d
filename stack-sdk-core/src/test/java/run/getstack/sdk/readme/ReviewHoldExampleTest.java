package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.control.ReviewHold;
import run.getstack.sdk.control.StackReviewRequiredException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** README's review-hold snippet, run against the fake control plane. */
class ReviewHoldExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @Test
    void aHeldPaymentIsShownToThePersonAndResumedOnceApproved(FakeControlPlane fake) throws Exception {
        String agent = fake.seed().agent("payer", "standard");
        fake.seed().grant(agent, fake.seed().connection("stripe", "sk-test-not-real", "charges"), "charges");
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        try (MockWebServer upstream = new MockWebServer();
                StackClient stack = StackClient.builder()
                        .baseUrl(fake.baseUrl())
                        .apiKey(fake.operatorApiKey())
                        .agentId(agent)
                        .clock(CLOCK)
                        .build()) {
            upstream.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .body("{\"id\":\"ch_1\"}")
                    .build());
            upstream.start();
            String chargesUrl = upstream.url("/v1/charges").toString();
            StringBuilder toThePerson = new StringBuilder();

            // readme:begin review-hold
            ReviewHold hold;
            try {
                stack.proxy()
                        .call(ProxyRequest.builder("stripe", "POST", chargesUrl)
                                .jsonBody("{\"amount\":25000,\"currency\":\"eur\"}")
                                .build());
                throw new AssertionError("a payment above 10,000 is held");
            } catch (StackReviewRequiredException e) {
                // nothing was sent upstream; a person approves it in the browser before e.deadline()
                toThePerson.append("approve ").append(e.approvalUrl().orElse(e.controlRef()));
                hold = e.hold(); // keeps the exact request; never send it again as a new call
            }

            fake.owner().approveHold(hold.controlRef()); // in a test, the fake plays the person

            ProxyResponse charged = hold.resume(); // the same bytes with X-Control-Ref, once
            assertThat(charged.status()).isEqualTo(200);
            // readme:end review-hold

            assertThat(toThePerson.toString()).startsWith("approve https://");
            assertThat(upstream.getRequestCount()).isEqualTo(1);
        }
    }
}
