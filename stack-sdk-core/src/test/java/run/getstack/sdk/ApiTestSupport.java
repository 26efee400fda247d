package run.getstack.sdk;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.time.TestClock;

/** Wiring shared by the resource tests: a client of the fake's default operator, and raw HTTP past the SDK. */
public final class ApiTestSupport {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ApiTestSupport() {}

    /**
     * A client of the fake's default operator on the test clock, without retries or circuit breaker.
     *
     * @param fake the fake
     * @param clock the shared clock
     * @return the builder
     */
    public static StackClient.Builder client(FakeControlPlane fake, TestClock clock) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
    }

    /**
     * Sends a request with the operator key, bypassing the SDK (to show what the fake itself decides).
     *
     * @param fake the fake
     * @param method the method
     * @param path the path and query
     * @param json the body, or null
     * @param passportToken an {@code X-Passport-Token}, or null
     * @return the response
     */
    public static HttpResponse<String> raw(
            FakeControlPlane fake, String method, String path, String json, String passportToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Authorization", "Bearer " + fake.operatorApiKey())
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (passportToken != null) {
            b.header("X-Passport-Token", passportToken);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * POSTs JSON with the operator key, bypassing the SDK.
     *
     * @param fake the fake
     * @param path the path
     * @param json the body
     * @return the response
     */
    public static HttpResponse<String> rawPost(FakeControlPlane fake, String path, String json) {
        return raw(fake, "POST", path, json, null);
    }
}
