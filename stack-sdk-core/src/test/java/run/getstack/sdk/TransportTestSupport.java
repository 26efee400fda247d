package run.getstack.sdk;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.testkit.time.TestClock;

/** Shared set-up of the transport tests: a MockWebServer, a test clock, a recording sleeper. */
abstract class TransportTestSupport {
    static final String API_KEY = "sk_live_op_TESTKEYtestkey0123456789abcdef";

    final MockWebServer server = new MockWebServer();
    final TestClock clock = TestClock.create();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);

    @org.junit.jupiter.api.BeforeEach
    void startServer() throws Exception {
        server.start();
    }

    @org.junit.jupiter.api.AfterEach
    void stopServer() {
        server.close();
    }

    StackClient.Builder clientBuilder() {
        return StackClient.builder()
                .baseUrl(server.url("/").toString())
                .apiKey(API_KEY)
                .clock(clock)
                .sleeper(sleeper)
                .random(() -> 0.5)
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                // scripted responses: the revocation follower would take them (its own tests use the fake)
                .revocationFollower(false);
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder()
                .code(code)
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .body(body)
                .build();
    }

    static MockResponse error(int code, String errorCode, String message) {
        return json(code, "{\"error\":{\"message\":\"" + message + "\",\"code\":\"" + errorCode + "\"}}");
    }

    static ApiResponse get(StackClient client, String path) {
        return client.transport().execute(ApiRequest.get(path).build());
    }
}
