package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiResponse;

/**
 * Issue 16 item 2: a server that reflects the caller's API key into the error envelope's {@code code}, {@code
 * request_id}, {@code details.reason} or the {@code X-Request-Id} header must not put it into an exception message
 * or field.
 */
class ErrorMapperScrubTest extends TransportTestSupport {
    private static final String REFLECTED = "sk_live_op_REFLECTEDreflected0123456789";

    private static void assertNoKey(StackException e) {
        assertThat(e.getMessage()).doesNotContain("sk_live").doesNotContain("REFLECTED");
        assertThat(e.detailMessage()).doesNotContain("sk_live");
        assertThat(e.errorCode()).isNull();
        assertThat(e.requestId()).doesNotContain("sk_live");
    }

    @Test
    void aKeyReflectedIntoTheErrorCodeIsDropped() {
        server.enqueue(json(400, "{\"error\":{\"message\":\"bad\",\"code\":\"" + REFLECTED + "\"}}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(StackInvalidRequestException.class, ErrorMapperScrubTest::assertNoKey);
    }

    @Test
    void aKeyReflectedIntoTheBodyRequestIdIsReplacedByTheSdksOwnId() throws Exception {
        server.enqueue(json(404, "{\"error\":{\"message\":\"nope\",\"request_id\":\"" + REFLECTED + "\"}}"));
        StackClient client = clientBuilder().build();

        StackNotFoundException e =
                (StackNotFoundException) org.assertj.core.api.Assertions.catchThrowable(() -> get(client, "/v1/x"));
        assertNoKey(e);
        assertThat(e.requestId()).isEqualTo(server.takeRequest().getHeaders().get("X-Request-Id"));
    }

    @Test
    void aKeyReflectedIntoTheXRequestIdHeaderIsDroppedOnErrorsAndOnSuccess() {
        server.enqueue(new MockResponse.Builder()
                .code(403)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Request-Id", REFLECTED)
                .body("{\"error\":{\"message\":\"no\",\"code\":\"FORBIDDEN\"}}")
                .build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Request-Id", REFLECTED)
                .body("{}")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOfSatisfying(StackPermissionException.class, e -> {
            assertThat(e.getMessage()).doesNotContain("sk_live");
            assertThat(e.requestId()).startsWith("req_").doesNotContain("sk_live");
            assertThat(e.errorCode()).isEqualTo("FORBIDDEN");
        });
        ApiResponse ok = get(client, "/v1/x");
        assertThat(ok.requestId()).startsWith("req_");
    }

    @Test
    void aKeyReflectedIntoTheReasonIsDropped() {
        server.enqueue(json(
                403,
                "{\"error\":{\"message\":\"no\",\"code\":\"FORBIDDEN\",\"details\":{\"reason\":\"" + REFLECTED
                        + "\"}}}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOfSatisfying(StackPermissionException.class, e -> {
            assertThat(e.reason()).isNull();
            assertThat(e.getMessage()).doesNotContain("sk_live");
        });
    }

    @Test
    void aJwtReflectedIntoTheRequestIdIsDropped() {
        server.enqueue(json(
                404,
                "{\"error\":{\"message\":\"nope\",\"code\":\"NOT_FOUND\",\"request_id\":"
                        + "\"eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2ln\"}}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackNotFoundException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("eyJ"));
    }

    @Test
    void ordinaryIdentifiersAndUuidRequestIdsAreKept() {
        server.enqueue(new MockResponse.Builder()
                .code(409)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Request-Id", "550e8400-e29b-41d4-a716-446655440000")
                .body("{\"error\":{\"message\":\"clash\",\"code\":\"CONFLICT\","
                        + "\"details\":{\"reason\":\"name_taken\"}}}")
                .build());
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOfSatisfying(StackConflictException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("CONFLICT");
            assertThat(e.reason()).isEqualTo("name_taken");
            assertThat(e.requestId()).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
        });
    }

    @Test
    void aKeyIdReflectingAKeyDoesNotReachTheJwksLogLine() {
        byte[] pub = new byte[32];
        org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(new byte[32], 0, pub, 0);
        String x = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(pub);
        run.getstack.sdk.passport.internal.JwkSet set = run.getstack.sdk.passport.internal.JwkSet.parse(
                "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"" + REFLECTED + "\"}]}");

        assertThat(set.kids()).containsExactly(REFLECTED);
        assertThat(set.toString()).doesNotContain("sk_live").contains("[redacted]");
    }

    @Test
    void aKeyReflectedIntoAnIssuedPassportsIdsIsAMalformedResponse() {
        String token = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhIn0.c2ln";
        for (String field : new String[] {"jti", "session_id", "agent_id"}) {
            String jti = field.equals("jti") ? REFLECTED : "pp_1";
            String session = field.equals("session_id") ? REFLECTED : "ses_1";
            String agent = field.equals("agent_id") ? REFLECTED : "agt_1";
            server.enqueue(json(
                    201,
                    "{\"token\":\"" + token + "\",\"jti\":\"" + jti + "\",\"expires_at\":\"2026-01-01T00:15:00.000Z\","
                            + "\"issued_at\":\"2026-01-01T00:00:00.000Z\",\"agent_id\":\"" + agent
                            + "\",\"session_id\":\"" + session + "\",\"delegation_depth\":0}"));
            StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();

            assertThatThrownBy(() ->
                            client.passports().issue("agt_1", run.getstack.sdk.passport.PassportRequest.defaults()))
                    .as(field)
                    .isInstanceOf(StackMalformedResponseException.class)
                    .hasMessageContaining("'" + field + "' looks like a credential")
                    .hasMessageNotContaining("sk_live");
        }
    }
}
