package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.ActivePassport;
import run.getstack.sdk.passport.AgentRevocationResult;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckpointRequest;
import run.getstack.sdk.passport.CheckpointResult;
import run.getstack.sdk.passport.DelegationRequest;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.RemoteVerification;
import run.getstack.sdk.passport.RevocationResult;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** The passports resource against MockWebServer (request shapes per docs/wire-protocol.md §3). */
class PassportsTest extends TransportTestSupport {
    private static final Instant EXP = Instant.parse("2026-01-01T00:15:00Z");

    private static String token(int depth) {
        return token("pp_1", "agt_1", EXP, depth);
    }

    /**
     * A token of STACK's shape with a placeholder signature: these tests check request and response shapes, which the
     * client reads without verifying the signature (verification is PassportVerifier's, tested against the fake).
     */
    private static String token(String jti, String agent, Instant exp, int depth) {
        String header = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        String payload = b64("{\"jti\":\"" + jti + "\",\"sub\":\"" + agent + "\",\"aud\":\"stack:passport\",\"exp\":"
                + exp.getEpochSecond() + ",\"stk\":{\"delegation_depth\":" + depth + ",\"services\":["
                + "{\"service_id\":\"svc_conn_1\",\"service_name\":\"slack\",\"scopes\":[\"chat:write\","
                + "\"channels:read\"],\"credential_ref\":\"cred_ref_1\",\"constraints\":[]}]}}");
        return header + "." + payload + ".c2lnbmF0dXJlLWZha2UtZm9yLXRlc3Rz";
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MockResponse issued(String jti, int depth) {
        return json(
                201,
                "{\"token\":\"" + token(depth) + "\",\"jti\":\"" + jti
                        + "\",\"expires_at\":\"2026-01-01T00:15:00.000Z\","
                        + "\"issued_at\":\"2026-01-01T00:00:00.000Z\",\"agent_id\":\"agt_1\",\"session_id\":\"ses_1\","
                        + "\"delegation_depth\":" + depth + "}");
    }

    private static Passport passport(int depth) {
        return new Passport(
                Secret.of(token(depth)),
                "pp_1",
                "agt_1",
                "ses_1",
                depth,
                null,
                Instant.parse("2026-01-01T00:00:00Z"),
                EXP);
    }

    @Test
    void issueSendsTheDocumentedBodyWithAnIdempotencyKey() throws Exception {
        server.enqueue(issued("pp_1", 0));
        StackClient client = clientBuilder().build();

        Passport p = client.passports()
                .issue(
                        "agt_1",
                        PassportRequest.builder()
                                .ttl(Duration.ofSeconds(600))
                                .scopes(List.of(new ServiceScope("svc_conn_1", List.of("chat:write"))))
                                .intent(Intent.of("post the daily report", List.of("slack")))
                                .checkpointInterval(Duration.ofSeconds(300))
                                .build());

        RecordedRequest r = server.takeRequest();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/passports/issue");
        assertThat(r.getHeaders().get("Idempotency-Key")).isNotBlank();
        assertThat(r.getBody().utf8())
                .isEqualTo("{\"agent_id\":\"agt_1\",\"ttl_seconds\":600,\"scopes\":[{\"service_connection_id\":"
                        + "\"svc_conn_1\",\"scopes\":[\"chat:write\"]}],\"intent\":{\"summary\":\"post the daily report\","
                        + "\"services\":[\"slack\"]},\"checkpoint_interval_seconds\":300}");
        assertThat(p.jti()).isEqualTo("pp_1");
        assertThat(p.sessionId()).isEqualTo("ses_1");
        assertThat(p.expiresAt()).isEqualTo(EXP);
        assertThat(p.lifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.toString()).doesNotContain(token(0)).contains("Secret[redacted");
    }

    @Test
    void theTtlIsValidatedLocally() {
        assertThat(PassportRequest.defaults().ttl())
                .isEqualTo(PassportRequest.DEFAULT_TTL)
                .isEqualTo(Duration.ofSeconds(900));
        assertThatThrownBy(() -> PassportRequest.builder().ttl(Duration.ofSeconds(3601)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ttl:");
        assertThatThrownBy(() -> PassportRequest.builder().ttl(Duration.ofSeconds(59)))
                .hasMessageStartingWith("ttl:");
        assertThat(PassportRequest.builder()
                        .ttl(PassportRequest.MAX_TTL)
                        .build()
                        .ttl())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void anImplausiblyDistantExpiryIsAMalformedResponseNotAnArithmeticError() {
        server.enqueue(json(
                201,
                "{\"token\":\"" + token(0) + "\",\"jti\":\"pp_1\",\"expires_at\":\"+1000000000-01-01T00:00:00Z\","
                        + "\"issued_at\":\"2026-01-01T00:00:00.000Z\"}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.passports().issue("agt_1", PassportRequest.defaults()))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("expires_at");
    }

    @Test
    void aResponseTokenThatIsNotAJwsIsAMalformedResponse() {
        server.enqueue(
                json(201, "{\"token\":\"not a jws\",\"jti\":\"pp_1\",\"expires_at\":\"2026-01-01T00:15:00.000Z\"}"));
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.passports().issue("agt_1", PassportRequest.defaults()))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("'token'")
                .hasMessageNotContaining("not a jws");
    }

    @Test
    void refreshSendsTheToken() throws Exception {
        server.enqueue(issued("pp_2", 0));
        StackClient client = clientBuilder().build();

        Passport next = client.passports().refresh(passport(0));

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/passports/refresh");
        assertThat(r.getBody().utf8()).isEqualTo("{\"token\":\"" + token(0) + "\"}");
        assertThat(next.jti()).isEqualTo("pp_2");
    }

    @Test
    void verifyIsUnauthenticatedAndReportsBothVerdicts() throws Exception {
        server.enqueue(json(200, "{\"valid\":true,\"claims\":{\"jti\":\"pp_1\",\"stk\":{\"delegation_depth\":0}}}"));
        server.enqueue(json(200, "{\"valid\":false,\"reason\":\"revoked\"}"));
        StackClient client = clientBuilder().build();

        RemoteVerification ok = client.passports().verify(Secret.of(token(0)), "slack");
        RemoteVerification bad = client.passports().verify(Secret.of(token(0)), null);

        RecordedRequest r = server.takeRequest();
        assertThat(r.getHeaders().get("Authorization")).isNull();
        assertThat(r.getBody().utf8()).contains("\"service_id\":\"slack\"");
        assertThat(ok.valid()).isTrue();
        assertThat(ok.claims()).containsEntry("jti", "pp_1");
        assertThat(bad.valid()).isFalse();
        assertThat(bad.failureReason()).contains("revoked");
        assertThat(bad.agentId()).isEmpty();
        assertThat(bad.scopes()).isEmpty();
    }

    @Test
    void aValidVerdictNamesTheAgentTheMissionAndTheScopes() throws Exception {
        server.enqueue(json(
                200,
                "{\"valid\":true,\"agent_id\":\"agt_1\",\"claims\":{\"jti\":\"pp_1\",\"sub\":\"agt_1\","
                        + "\"stk\":{\"mission_id\":\"ms_1\",\"services\":[{\"service_id\":\"svc_conn_1\","
                        + "\"service_name\":\"slack\",\"scopes\":[\"chat:write\"]}]}}}"));
        StackClient client = clientBuilder().build();

        RemoteVerification ok = client.passports().verify(Secret.of(token(0)), null);

        assertThat(ok.agentId()).contains("agt_1");
        assertThat(ok.missionId()).contains("ms_1");
        assertThat(ok.scopes()).containsExactly(new ServiceScope("svc_conn_1", List.of("chat:write")));
    }

    @Test
    void delegationBeyondDepthFourIsRefusedLocallyWithoutARequest() {
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.passports()
                        .delegate(
                                passport(4), DelegationRequest.builder("agt_2").build()))
                .isInstanceOfSatisfying(StackInvalidRequestException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("DELEGATION_DEPTH_EXCEEDED");
                    assertThat(e.httpStatus()).isZero();
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void delegationAskingForMoreThanTheParentHoldsIsRefusedLocally() {
        StackClient client = clientBuilder().build();

        assertThatThrownBy(() -> client.passports()
                        .delegate(
                                passport(0),
                                DelegationRequest.builder("agt_2")
                                        .scopes(List.of(new ServiceScope("svc_conn_1", List.of("admin"))))
                                        .build()))
                .isInstanceOfSatisfying(
                        StackInvalidRequestException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("SCOPE_ESCALATION"));
        assertThatThrownBy(() -> client.passports()
                        .delegate(
                                passport(0),
                                DelegationRequest.builder("agt_2")
                                        .scopes(List.of(new ServiceScope("svc_conn_9", List.of("chat:write"))))
                                        .build()))
                .isInstanceOf(StackInvalidRequestException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aNarrowerDelegationIsSent() throws Exception {
        server.enqueue(issued("pp_child", 1));
        StackClient client = clientBuilder().build();

        Passport child = client.passports()
                .delegate(
                        passport(0),
                        DelegationRequest.builder("agt_2")
                                .scopes(List.of(new ServiceScope("svc_conn_1", List.of("chat:write"))))
                                .ttl(Duration.ofSeconds(300))
                                .build());

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/passports/delegate");
        assertThat(r.getBody().utf8())
                .startsWith("{\"parent_passport_token\":\"" + token(0) + "\",\"child_agent_id\":\"agt_2\",\"scopes\":")
                .endsWith("\"ttl_seconds\":300}");
        assertThat(child.delegationDepth()).isEqualTo(1);
        assertThat(child.parentJti()).isEqualTo("pp_1");
    }

    @Test
    void delegationWithoutScopesAsksForTheParentsOwnAndCapsTheTtlAtTheParentsRemainingTime() throws Exception {
        server.enqueue(issued("pp_child", 1));
        StackClient client = clientBuilder().build();
        // the parent expires 15 minutes after the test clock's start; 5 minutes have passed
        clock.advance(Duration.ofMinutes(5));

        client.passports()
                .delegate(
                        passport(0),
                        DelegationRequest.builder("agt_2")
                                .ttl(Duration.ofHours(1))
                                .build());

        assertThat(server.takeRequest().getBody().utf8())
                .endsWith("\"child_agent_id\":\"agt_2\",\"scopes\":[{\"service_connection_id\":\"svc_conn_1\","
                        + "\"scopes\":[\"channels:read\",\"chat:write\"]}],\"ttl_seconds\":"
                        + Duration.between(clock.instant(), EXP).toSeconds() + "}");
    }

    @Test
    void delegationFromAParentWithLessThanAMinuteLeftIsRefusedLocally() {
        StackClient client = clientBuilder().build();
        clock.advance(Duration.between(clock.instant(), EXP).minusSeconds(30));

        assertThatThrownBy(() -> client.passports()
                        .delegate(
                                passport(0),
                                DelegationRequest.builder("agt_2")
                                        .ttl(Duration.ofMinutes(5))
                                        .build()))
                .isInstanceOfSatisfying(StackInvalidRequestException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.reason()).isEqualTo("ttl_exceeds_parent");
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void revokeRevokeAgentAndListActiveUseTheDocumentedPaths() throws Exception {
        server.enqueue(json(200, "{\"jti\":\"pp_1\",\"revoked\":true,\"cascaded\":[\"pp_2\",\"pp_3\"]}"));
        server.enqueue(json(200, "{\"agent_id\":\"agt_1\",\"revoked_count\":2,\"cascaded_count\":1}"));
        server.enqueue(json(
                200,
                "{\"passports\":[{\"jti\":\"pp_9\",\"agent_id\":\"agt_1\",\"session_id\":\"ses_1\","
                        + "\"delegation_depth\":0,\"parent_jti\":null,\"issued_at\":\"2026-01-01T00:00:00.000Z\","
                        + "\"expires_at\":\"2026-01-01T00:15:00.000Z\"}]}"));
        StackClient client = clientBuilder().build();

        RevocationResult revoked = client.passports().revoke("pp_1", "leaked");
        AgentRevocationResult agent = client.passports().revokeAgent("agt_1", null);
        List<ActivePassport> active = client.passports().listActive("agt_1", null);

        RecordedRequest r1 = server.takeRequest();
        assertThat(r1.getUrl().encodedPath()).isEqualTo("/v1/passports/pp_1/revoke");
        assertThat(r1.getBody().utf8()).isEqualTo("{\"reason\":\"leaked\"}");
        RecordedRequest r2 = server.takeRequest();
        assertThat(r2.getUrl().encodedPath()).isEqualTo("/v1/passports/revoke-agent");
        assertThat(r2.getBody().utf8()).isEqualTo("{\"agent_id\":\"agt_1\"}");
        RecordedRequest r3 = server.takeRequest();
        assertThat(r3.getMethod()).isEqualTo("GET");
        assertThat(r3.getUrl().encodedPath()).isEqualTo("/v1/passports/active");
        assertThat(r3.getUrl().queryParameter("agent_id")).isEqualTo("agt_1");
        assertThat(r3.getUrl().queryParameter("session_id")).isNull();

        assertThat(revoked.cascaded()).containsExactly("pp_2", "pp_3");
        assertThat(agent.revokedCount()).isEqualTo(2);
        assertThat(active).singleElement().satisfies(a -> {
            assertThat(a.jti()).isEqualTo("pp_9");
            assertThat(a.parentJti()).isNull();
        });
        // revoked (and cascaded) passports are refused locally from now on
        Passport child =
                new Passport(Secret.of(token(1)), "pp_2", "agt_1", "ses_1", 1, "pp_1", EXP.minusSeconds(60), EXP);
        assertThatThrownBy(() -> client.passports().requireUsable(child))
                .isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void ajtiThatCouldEscapeThePathIsRefused() {
        StackClient client = clientBuilder().build();
        assertThatThrownBy(() -> client.passports().revoke("../agents/agt_1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jti:");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void checkpointReturnsSignalsAndTheReSignedPassport() throws Exception {
        String resigned = token("pp_1", "agt_1", EXP.plusSeconds(300), 0);
        server.enqueue(json(
                200,
                "{\"jti\":\"pp_1\",\"expires_at\":\"2026-01-01T00:20:00.000Z\",\"accepted\":true,\"signals\":"
                        + "[{\"signal_type\":\"credential_outside_scope\",\"severity\":\"warning\","
                        + "\"security_event_id\":\"sev_1\",\"action\":\"notified\"}],\"token\":\"" + resigned + "\"}"));
        StackClient client = clientBuilder().build();

        CheckpointResult result = client.passports()
                .checkpoint(passport(0), new CheckpointRequest(List.of("slack"), 3, List.of(), "posted 3 messages"));

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/passports/pp_1/checkpoint");
        assertThat(r.getHeaders().get("Idempotency-Key")).isNull();
        assertThat(r.getBody().utf8())
                .isEqualTo("{\"services_used\":[\"slack\"],\"actions_count\":3,\"summary\":\"posted 3 messages\"}");
        assertThat(result.signals())
                .singleElement()
                .satisfies(s -> assertThat(s.action()).isEqualTo("notified"));
        assertThat(result.resignedPassport()).hasValueSatisfying(p -> {
            assertThat(p.token().revealPlaintext()).isEqualTo(resigned);
            assertThat(p.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:20:00Z"));
        });
    }

    @Test
    void checkoutIsSentWithAnIdempotencyKeyAndThenTheClientRefusesThePassport() throws Exception {
        server.enqueue(
                json(200, "{\"jti\":\"pp_1\",\"status\":\"clean\",\"checked_out_at\":\"2026-01-01T00:05:00.000Z\"}"));
        StackClient client = clientBuilder().build();
        Passport p = passport(0);
        client.passports().requireUsable(p);

        client.passports()
                .checkout(p, new CheckoutRequest("done", List.of("slack"), 3L, CheckoutRequest.Outcome.SUCCESS));

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/passports/pp_1/checkout");
        assertThat(r.getHeaders().get("Idempotency-Key")).isNotBlank();
        assertThat(r.getBody().utf8())
                .isEqualTo(
                        "{\"summary\":\"done\",\"services_used\":[\"slack\"],\"actions_count\":3,\"outcome\":\"success\"}");
        assertThatThrownBy(() -> client.passports().requireUsable(p))
                .isInstanceOf(run.getstack.sdk.passport.StackPassportCheckedOutException.class)
                .hasMessageContaining("checked out");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void anExpiredPassportIsRefusedLocally() {
        StackClient client = clientBuilder().build();
        clock.advance(Duration.ofMinutes(15));
        assertThatThrownBy(() -> client.passports().requireUsable(passport(0)))
                .isInstanceOf(run.getstack.sdk.passport.StackPassportExpiredException.class);
    }

    @Test
    void passportRevokedFromTheServerIsTyped() {
        server.enqueue(error(401, "PASSPORT_REVOKED", "Passport has been revoked"));
        StackClient client = clientBuilder().build();
        assertThatThrownBy(() -> client.passports().refresh(passport(0)))
                .isInstanceOf(StackPassportRevokedException.class)
                .isInstanceOf(StackAuthenticationException.class);
    }
}
