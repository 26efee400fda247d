package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** README's fault rules, registered on a fake; the first one is checked over raw HTTP. */
class FaultsExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void theReadmeFaultRulesRegisterAndTheFirstAnswers503WithRetryAfter(FakeControlPlane fake)
            throws IOException, InterruptedException {
        // readme:begin faults
        fake.faults().on("POST", "/v1/passports/issue").failTimes(2, 503).withRetryAfter(Duration.ofSeconds(1));
        fake.faults().on("GET", "/v1/credentials/*").respondWith(429); // Retry-After: 1
        fake.faults().on("POST", "/v1/leases").disconnectDuringResponseBody().times(1); // processed, answer lost
        fake.faults().on("*", "/v1/**").disconnectBeforeResponse().times(1); // not processed
        fake.faults().on("GET", "/v1/agents").delay(Duration.ofMillis(200)); // real delay, keep small
        fake.faults().on("GET", "/v1/agents").truncateBody(); // half the JSON
        fake.faults().on("GET", "/v1/agents").malformedBody(); // not JSON
        // readme:end faults

        HttpResponse<String> issue = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/passports/issue"))
                                .header("Authorization", "Bearer " + fake.operatorApiKey())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(issue.statusCode()).isEqualTo(503);
        assertThat(issue.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(issue.body()).contains("SERVICE_UNAVAILABLE");
    }
}
