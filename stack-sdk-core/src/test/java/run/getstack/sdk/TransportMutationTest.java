package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.internal.http.Transport;

/**
 * The transport's edges PIT found untested: which request id a response reports, the JSON media types, the server's
 * {@code Date}, a base URL with a path, and the jitter's handling of a random source out of range.
 */
class TransportMutationTest extends TransportTestSupport {
    private static MockResponse withRequestId(String requestId) {
        return new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "application/json")
                .addHeaderLenient("X-Request-Id", requestId)
                .body("{\"error\":{\"message\":\"no such thing\",\"code\":\"NOT_FOUND\"}}")
                .build();
    }

    private StackException failure() {
        StackClient client = clientBuilder().build();
        return catchThrowableOfType(StackException.class, () -> get(client, "/v1/x"));
    }

    @Test
    void anXRequestIdOf128SafeCharactersIsReportedAndALongerOrUnsafeOneIsNot() throws Exception {
        String id128 = "req_a-b.c".repeat(14) + "ab";
        assertThat(id128).hasSize(128);
        server.enqueue(withRequestId(id128));
        assertThat(failure().requestId()).isEqualTo(id128);
        server.takeRequest();

        for (String bad : new String[] {id128 + "x", "req/slash", "req id", "req_\u00e9t\u00e9"}) {
            server.enqueue(withRequestId(bad));
            StackException e = failure();
            String sent = server.takeRequest().getHeaders().get("X-Request-Id");
            assertThat(e.requestId()).as(bad).isNotNull().isEqualTo(sent);
        }
    }

    @Test
    void aNonJsonSuccessReportsTheRequestIdTheServerGave() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/html")
                .setHeader("X-Request-Id", "req_from_server")
                .body("<html></html>")
                .build());
        StackException e = failure();
        assertThat(e).isInstanceOf(StackMalformedResponseException.class);
        assertThat(e.requestId()).isEqualTo("req_from_server");
    }

    @Test
    void structuredJsonMediaTypesAreJsonAndOnlyUnderApplication() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/problem+json")
                .body("{\"ok\":true}")
                .build());
        StackClient client = clientBuilder().build();
        assertThat(get(client, "/v1/x").requireObject().get("ok").asBoolean()).isTrue();

        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/vnd.something+json")
                .body("{\"ok\":true}")
                .build());
        assertThat(failure())
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void theServersDateIsReadWhenWellFormedAndShort() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .setHeader("Date", "Mon, 30 Nov 2026 10:00:00 GMT")
                .body("{}")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .setHeader("Date", "Mon, 30 Nov 2026 10:00:00 GMT" + " ".repeat(40) + "x")
                .body("{}")
                .build());
        StackClient client = clientBuilder().build();
        ApiResponse dated = get(client, "/v1/x");
        ApiResponse tooLong = get(client, "/v1/x");

        assertThat(dated.serverDate()).contains(Instant.parse("2026-11-30T10:00:00Z"));
        assertThat(tooLong.serverDate()).isEmpty();
    }

    @Test
    void aBaseUrlWithAPathKeepsItWithOrWithoutATrailingSlash() throws Exception {
        for (String base : new String[] {"/stack", "/stack/"}) {
            server.enqueue(json(200, "{}"));
            StackClient client =
                    clientBuilder().baseUrl(server.url(base).toString()).build();
            get(client, "/v1/x");
            assertThat(server.takeRequest().getTarget()).as(base).isEqualTo("/stack/v1/x");
        }
    }

    @Test
    void theUserAgentNamesTheSdk() throws Exception {
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();
        get(client, "/v1/x");
        String sent = server.takeRequest().getHeaders().get("User-Agent");
        assertThat(sent).isNotEmpty().isEqualTo(client.transport().userAgent());
    }

    @Test
    void aRandomValueOutsideZeroToOneGivesNoDelayAndTheLargestInRangeGivesTheCap() {
        RetryPolicy policy = RetryPolicy.defaults(); // 200 ms base
        for (double r : new double[] {1.0, 1.5, -0.1, Double.NaN}) {
            assertThat(Transport.fullJitter(policy, () -> r).apply(1, null))
                    .as("r=" + r)
                    .isZero();
        }
        assertThat(Transport.fullJitter(policy, () -> Math.nextDown(1.0)).apply(1, null))
                .isEqualTo(200);
        assertThat(Transport.fullJitter(policy, () -> Math.nextDown(1.0)).apply(2, null))
                .isEqualTo(400);
    }
}
