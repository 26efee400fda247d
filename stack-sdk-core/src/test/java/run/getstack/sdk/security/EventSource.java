package run.getstack.sdk.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.SeededPassport;
import run.getstack.sdk.testkit.Signal;

/**
 * Makes the fake raise security events for real: a {@code logged} agent whose passport covers openai asks for the
 * slack credential, which the fake's {@code credential_outside_scope} detector records (in alert mode, one event
 * per request, nothing blocked).
 */
final class EventSource {
    private final FakeControlPlane fake;
    private final SeededPassport passport;
    final String agentId;

    EventSource(FakeControlPlane fake, String agentName) {
        this.fake = fake;
        fake.detectors().mode(Signal.CREDENTIAL_BURST, DetectorMode.OFF);
        fake.detectors().mode(Signal.SCOPE_DRIFT, DetectorMode.OFF);
        fake.detectors().mode(Signal.CREDENTIAL_OUTSIDE_SCOPE, DetectorMode.ALERT);
        agentId = fake.seed().agent(agentName, "logged");
        String openai = fake.seed().connection("openai", "sk-test-" + agentName, "chat");
        fake.seed().connection("slack", "xoxb-test-" + agentName, "post");
        fake.seed().grant(agentId, openai, "chat");
        passport = fake.seed().passport(agentId, "summarise tickets", "openai");
    }

    /** Raises {@code n} events. */
    void raise(int n) {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = ApiTestSupport.raw(fake, "GET", "/v1/credentials/slack", null, passport.token());
            assertThat(r.body()).contains("credential_outside_scope");
        }
    }
}
