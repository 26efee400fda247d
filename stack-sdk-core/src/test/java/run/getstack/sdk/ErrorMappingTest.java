package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest extends TransportTestSupport {

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "400, StackInvalidRequestException",
        "422, StackInvalidRequestException",
        "401, StackAuthenticationException",
        "403, StackPermissionException",
        "404, StackNotFoundException",
        "409, StackConflictException",
        "429, StackRateLimitedException",
        "500, StackServerException",
        "503, StackServerException",
        "402, StackApiException",
        "405, StackApiException",
        "410, StackApiException",
        "413, StackApiException",
    })
    void statusesMapToTheirCategory(int status, String type) {
        server.enqueue(error(status, "SOME_CODE", "it failed"));
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(type))
                .isInstanceOfSatisfying(StackApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo("SOME_CODE");
                    assertThat(e.detailMessage()).isEqualTo("it failed");
                });
    }

    @Test
    void carriesCodeReasonAndTheRequestIdFromTheHeader() {
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Request-Id", "req_fromheader")
                .body("{\"error\":{\"message\":\"Agent suspended\",\"code\":\"FORBIDDEN\","
                        + "\"details\":{\"reason\":\"agent_suspended\"},\"request_id\":\"req_frombody\"}}")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOfSatisfying(StackPermissionException.class, e -> {
            assertThat(e.requestId()).isEqualTo("req_fromheader");
            assertThat(e.reason()).isEqualTo("agent_suspended");
            assertThat(e.getMessage())
                    .isEqualTo("Agent suspended (status 403, code FORBIDDEN, request req_fromheader)");
        });
    }

    @Test
    void takesTheRequestIdFromTheBodyWhenTheHeaderIsAbsent() {
        server.enqueue(json(404, "{\"error\":{\"message\":\"nope\",\"code\":\"NOT_FOUND\",\"request_id\":\"req_b\"}}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackNotFoundException.class,
                        e -> assertThat(e.requestId()).isEqualTo("req_b"));
    }

    @Test
    void theServerMessageIsBoundedAndSecretLookingRunsAreRedacted() {
        String longMessage = "x".repeat(5000);
        server.enqueue(error(
                400, "INVALID_REQUEST", "bad token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2ln and " + longMessage));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOfSatisfying(StackInvalidRequestException.class, e -> {
            assertThat(e.detailMessage()).startsWith("bad token [redacted] and ");
            assertThat(e.detailMessage().length()).isLessThanOrEqualTo(203);
            assertThat(e.getMessage()).doesNotContain("eyJ");
        });
    }

    @Test
    void anHtmlErrorPageIsAMalformedResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .setHeader("Content-Type", "text/html")
                .body("<html><body><h1>Not Found</h1></body></html>")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(StackMalformedResponseException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.getMessage()).doesNotContain("<html>");
                });
    }

    @Test
    void anHtmlPageWithStatus200IsAMalformedResponse() {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/html; charset=utf-8")
                .body("<html>captive portal</html>")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void malformedJsonIsAMalformedResponseWithoutTheBodyInTheMessage() {
        server.enqueue(json(200, "{\"token\": \"eyJsecretpart\", "));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageNotContaining("eyJsecretpart")
                .hasNoCause();
    }

    @Test
    void trailingGarbageAfterJsonIsAMalformedResponse() {
        server.enqueue(json(200, "{} {}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackMalformedResponseException.class);
    }

    @Test
    void anErrorBodyWithoutTheEnvelopeIsAMalformedResponse() {
        server.enqueue(json(400, "{\"message\":\"no envelope\"}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackMalformedResponseException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(400));
    }

    @Test
    void aResponseOfTheWrongShapeIsAMalformedResponse() {
        server.enqueue(json(200, "{\"jti\": 42}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.transport()
                        .execute(
                                run.getstack.sdk.internal.http.ApiRequest.get("/v1/x")
                                        .build(),
                                r -> run.getstack.sdk.internal.http.JsonFields.text(r.requireObject(), "jti")))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("'jti'");
    }

    @Test
    void anEmpty200BodyIsAMalformedResponseButA204IsFine() {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(204).build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackMalformedResponseException.class);
        assertThat(get(client, "/v1/x").body()).isNull();
    }

    @Test
    void sendsTheStandardHeaders() throws Exception {
        server.enqueue(json(200, "{}"));
        StackClient client = clientBuilder().build();

        get(client, "/v1/agents");

        RecordedRequest r = server.takeRequest();
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("User-Agent"))
                .matches("stack-sdk-java/\\S+ \\(Java "
                        + java.util.regex.Pattern.quote(System.getProperty("java.version")) + "\\)");
        assertThat(r.getHeaders().get("X-Request-Id")).matches("req_[a-z0-9]{24}");
        assertThat(r.getHeaders().get("Idempotency-Key")).isNull();
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .setHeader("Location", "https://evil.example/steal")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackException.class, e -> assertThat(e.httpStatus()).isEqualTo(302));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
