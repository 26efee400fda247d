package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionEndReason;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionLimits;
import run.getstack.sdk.mission.MissionListener;
import run.getstack.sdk.mission.MissionReport;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionRevocation;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.PauseDecision;
import run.getstack.sdk.mission.RevokeReason;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.mission.internal.MissionCodec;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportReport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** The missions resource against MockWebServer (request and response shapes per docs/wire-protocol.md §10.4). */
class MissionsTest extends TransportTestSupport {
    private final ManualTaskScheduler scheduler = new ManualTaskScheduler(clock);

    private StackClient client() {
        return clientBuilder().agentId("agt_1").scheduler(scheduler).build();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    static String token(String jti, Instant exp, String mode) {
        String header = b64("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
        String payload = b64("{\"jti\":\"" + jti + "\",\"sub\":\"agt_1\",\"aud\":\"stack:passport\",\"exp\":"
                + exp.getEpochSecond() + ",\"stk\":{\"delegation_depth\":0,\"accountability\":\"" + mode
                + "\",\"services\":[{\"service_id\":\"svc_conn_1\",\"service_name\":\"slack\",\"scopes\":"
                + "[\"chat:write\"],\"credential_ref\":\"cred_ref_1\",\"constraints\":[]}]}}");
        return header + "." + payload + ".c2lnbmF0dXJlLWZha2UtZm9yLXRlc3Rz";
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A Mission object; {@code passport} is a passport member or null. */
    private String mission(String id, String status, String extra) {
        return "{\"mission_id\":\"" + id + "\",\"agent_id\":\"agt_1\",\"status\":\"" + status + "\","
                + "\"intent_summary\":\"Post the weekly update\",\"services\":[\"slack\"],"
                + "\"limits\":{\"max_actions\":10,\"max_actions_per_service\":{\"slack\":5}},"
                + "\"usage\":{\"actions\":0,\"cents\":0,\"seconds\":0,\"bytes\":0,\"actions_by_service\":{}},"
                + "\"started_at\":\"" + now() + "\"" + extra + "}";
    }

    private String started(String id, String jti, String mode, Duration ttl, String extra) {
        Instant exp = now().plus(ttl);
        return mission(
                id,
                "active",
                ",\"passport\":{\"token\":\"" + token(jti, exp, mode) + "\",\"jti\":\"" + jti
                        + "\",\"expires_at\":\"" + exp + "\",\"issued_at\":\"" + now()
                        + "\",\"session_id\":\"ses_1\",\"delegation_depth\":0,\"mission_id\":\"" + id + "\"}"
                        + extra);
    }

    private static MissionRequest request() {
        return MissionRequest.builder("Post the weekly update")
                .services("slack")
                .limits(MissionLimits.builder()
                        .maxActions(10)
                        .maxActionsPerService("slack", 5)
                        .build())
                .build();
    }

    @Test
    void startSendsTheToolFieldsAndTheAuthorityIdAsIdempotencyKeyAndHoldsThePassport() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        StackClient client = client();

        Mission m = client.missions()
                .start(MissionRequest.builder("Post the weekly update")
                        .services("slack")
                        .limits(MissionLimits.builder().maxActions(10).build())
                        .recipients(List.of("#weekly"))
                        .outputSchema(Map.of("type", "object"))
                        .authorityRequestId("weekly-2026-48")
                        .build());

        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/missions");
        assertThat(r.getHeaders().get("Idempotency-Key")).isEqualTo("weekly-2026-48");
        assertThat(r.getBody().utf8())
                .isEqualTo("{\"agent_id\":\"agt_1\",\"intent_summary\":\"Post the weekly update\",\"services\":"
                        + "[\"slack\"],\"limits\":{\"max_actions\":10},\"recipients\":[\"#weekly\"],"
                        + "\"output_schema\":{\"type\":\"object\"},\"authority_request_id\":\"weekly-2026-48\"}");
        assertThat(m.id()).isEqualTo("ms_1");
        assertThat(m.info().status()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(m.info().limits().maxActionsPerService()).containsEntry("slack", 5L);
        assertThat(m.passport().jti()).isEqualTo("pp_1");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aRepeatedStartWithTheSameAuthorityIdReturnsTheSameMission() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), ""))
                .newBuilder()
                .setHeader("Idempotency-Replayed", "true")
                .build());
        StackClient client = client();
        MissionRequest req = MissionRequest.builder("Post the weekly update")
                .authorityRequestId("same")
                .build();

        Mission a = client.missions().start(req);
        Mission b = client.missions().start(req);

        assertThat(b.id()).isEqualTo(a.id());
        assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("same");
        assertThat(server.takeRequest().getHeaders().get("Idempotency-Key")).isEqualTo("same");
    }

    @Test
    void aStartWithoutAnAuthorityIdGetsAFreshKeyPerCall() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(201, started("ms_2", "pp_2", "logged", Duration.ofMinutes(15), "")));
        StackClient client = client();

        client.missions().start(request());
        client.missions().start(request());

        String k1 = server.takeRequest().getHeaders().get("Idempotency-Key");
        String k2 = server.takeRequest().getHeaders().get("Idempotency-Key");
        assertThat(k1).isNotBlank().isNotEqualTo(k2);
    }

    @Test
    void startNeedsAnAgent() {
        StackClient client = clientBuilder().build();
        assertThatThrownBy(() -> client.missions().start(request()))
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("agentId");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void issueWithoutAMissionIsRefusedAndTheErrorSaysWhatToDo() throws Exception {
        server.enqueue(json(
                400,
                "{\"error\":{\"code\":\"MISSION_REQUIRED\",\"message\":\"mission_ids is required\","
                        + "\"details\":{\"reason\":\"missing\"}}}"));
        StackClient client = client();

        assertThatThrownBy(() -> client.passports().issue("agt_1", PassportRequest.defaults()))
                .isInstanceOf(StackInvalidRequestException.class)
                .hasMessageContaining("client.missions().start(")
                .hasMessageContaining("missionId(")
                .satisfies(e -> assertThat(((StackApiException) e).reason()).isEqualTo("missing"));
    }

    @Test
    void issueForAMissionSendsMissionIds() throws Exception {
        Instant exp = now().plus(Duration.ofMinutes(15));
        server.enqueue(json(
                201,
                "{\"token\":\"" + token("pp_9", exp, "logged") + "\",\"jti\":\"pp_9\",\"expires_at\":\"" + exp
                        + "\",\"issued_at\":\"" + now() + "\",\"agent_id\":\"agt_1\",\"session_id\":\"ses_1\","
                        + "\"delegation_depth\":0,\"mission_id\":\"ms_7\"}"));
        StackClient client = client();

        Passport p = client.passports()
                .issue("agt_1", PassportRequest.builder().missionId("ms_7").build());

        assertThat(server.takeRequest().getBody().utf8()).contains("\"mission_ids\":[\"ms_7\"]");
        assertThat(client.passportGuard().missionOf(p.jti())).isEqualTo("ms_7");
    }

    @Test
    void listReadsPagesLazilyByStatus() throws Exception {
        server.enqueue(json(
                200,
                "{\"missions\":[" + mission("ms_3", "paused", "") + "," + mission("ms_2", "paused", "")
                        + "],\"page\":1,\"limit\":50,\"has_more\":true}"));
        server.enqueue(json(
                200,
                "{\"missions\":[" + mission("ms_1", "paused", "") + "],\"page\":2,\"limit\":50,\"has_more\":false}"));
        StackClient client = client();

        Iterable<MissionInfo> paused = client.missions().list(MissionStatus.PAUSED);
        assertThat(server.getRequestCount()).isZero();
        List<String> ids = new ArrayList<>();
        for (MissionInfo m : paused) {
            ids.add(m.missionId());
        }

        assertThat(ids).containsExactly("ms_3", "ms_2", "ms_1");
        assertThat(server.takeRequest().getUrl().query()).isEqualTo("status=paused&page=1&limit=50");
        assertThat(server.takeRequest().getUrl().query()).isEqualTo("status=paused&page=2&limit=50");
    }

    @Test
    void completionSendsTheOutputAndEndsThePassportEverywhereInTheClient() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(
                200,
                mission(
                        "ms_1",
                        "completed",
                        ",\"end_reason\":\"completed\",\"output_digest\":\"sha256:ab\",\"ended_at\":\"" + now()
                                + "\"")));
        StackClient client = client();
        List<String> ended = new CopyOnWriteArrayList<>();
        client.missions().addListener(new MissionListener() {
            @Override
            public void ended(String missionId, MissionStatus status) {
                ended.add(missionId + ":" + status);
            }
        });
        Passport p;
        MissionInfo done;
        try (Mission m = client.missions().start(request())) {
            p = m.passport();
            m.output(Map.of("posted", true));
            done = m.complete();
        }

        server.takeRequest();
        RecordedRequest complete = server.takeRequest();
        assertThat(complete.getUrl().encodedPath()).isEqualTo("/v1/missions/ms_1/complete");
        assertThat(complete.getBody().utf8()).isEqualTo("{\"output\":{\"posted\":true}}");
        assertThat(done.endReason()).isEqualTo(MissionEndReason.COMPLETED);
        assertThat(ended).containsExactly("ms_1:COMPLETED");
        assertThatThrownBy(() -> client.passports().requireUsable(p))
                .isInstanceOf(StackPassportRevokedException.class)
                .hasMessageContaining("ms_1");
        // closing after completion sends nothing more
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void outputRefusedByTheSchemaLeavesTheMissionLive() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(
                400,
                "{\"error\":{\"code\":\"OUTPUT_SCHEMA_VIOLATION\",\"message\":\"output.posted must be boolean\","
                        + "\"details\":{\"issues\":[{\"path\":\"posted\",\"message\":\"must be boolean\"}]}}}"));
        StackClient client = client();
        Mission m = client.missions().start(request());
        m.output(Map.of("posted", "yes"));

        assertThatThrownBy(m::complete)
                .isInstanceOf(StackInvalidRequestException.class)
                .extracting(e -> ((StackException) e).errorCode())
                .isEqualTo("OUTPUT_SCHEMA_VIOLATION");
        assertThat(m.passport().jti()).isEqualTo("pp_1");
    }

    @Test
    void revokeSendsReasonAndNotesAndASecondRevokeReportsNoTransition() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(
                200,
                "{\"mission_id\":\"ms_1\",\"status\":\"revoked\",\"end_reason\":\"adversarial\","
                        + "\"transitioned\":true,\"revoked_jtis\":[\"pp_1\",\"pp_2\"]}"));
        server.enqueue(json(
                200,
                "{\"mission_id\":\"ms_1\",\"status\":\"revoked\",\"end_reason\":\"adversarial\","
                        + "\"transitioned\":false,\"revoked_jtis\":[]}"));
        StackClient client = client();
        Mission m = client.missions().start(request());
        Passport p = m.passport();

        MissionRevocation first = m.revoke(RevokeReason.ADVERSARIAL, "exfiltration attempt");
        MissionRevocation second = client.missions().revoke("ms_1", RevokeReason.ADVERSARIAL, null);

        server.takeRequest();
        assertThat(server.takeRequest().getBody().utf8())
                .isEqualTo("{\"reason\":\"adversarial\",\"notes\":\"exfiltration attempt\"}");
        assertThat(first.transitioned()).isTrue();
        assertThat(first.revokedJtis()).containsExactly("pp_1", "pp_2");
        assertThat(second.transitioned()).isFalse();
        assertThat(second.status()).isEqualTo(MissionStatus.REVOKED);
        assertThatThrownBy(m::passport).isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> client.passports().requireUsable(p)).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void aPauseIsTypedNotRetriedAndRefusesTheMissionsPassportsLocallyUntilTheOwnerDecides() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(
                409,
                "{\"error\":{\"code\":\"MISSION_PAUSED\",\"message\":\"mission paused\",\"details\":{"
                        + "\"mission_id\":\"ms_1\",\"paused_cap\":\"max_actions_per_service\","
                        + "\"paused_service\":\"slack\"}}}"));
        server.enqueue(json(200, mission("ms_1", "paused", ",\"paused_cap\":\"max_actions_per_service\"")));
        server.enqueue(json(200, mission("ms_1", "active", "")));
        StackClient client = clientBuilder()
                .agentId("agt_1")
                .scheduler(scheduler)
                .retryPolicy(RetryPolicy.defaults())
                .build();
        List<String> heard = new CopyOnWriteArrayList<>();
        Mission m = client.missions().start(request());
        m.addListener(new MissionListener() {
            @Override
            public void paused(String missionId, StackMissionPausedException pause) {
                heard.add("paused:" + pause.pausedCap() + "/" + pause.pausedService());
            }

            @Override
            public void resumed(MissionInfo mission) {
                heard.add("resumed:" + mission.status());
            }
        });
        Passport p = m.passport();

        // any call the control plane answers with MISSION_PAUSED (here: reading the mission)
        assertThatThrownBy(() -> client.missions().get("ms_1"))
                .isInstanceOfSatisfying(StackMissionPausedException.class, e -> {
                    assertThat(e.missionId()).isEqualTo("ms_1");
                    assertThat(e.pausedCap()).isEqualTo(MissionLimits.MAX_ACTIONS_PER_SERVICE);
                    assertThat(e.pausedService()).isEqualTo("slack");
                    assertThat(e.httpStatus()).isEqualTo(409);
                });
        assertThat(server.getRequestCount()).isEqualTo(2); // not retried
        assertThatThrownBy(() -> client.passports().requireUsable(p))
                .isInstanceOfSatisfying(
                        StackMissionPausedException.class,
                        e -> assertThat(e.httpStatus()).isZero());
        assertThatThrownBy(m::passport).isInstanceOf(StackMissionPausedException.class);
        assertThat(heard).containsExactly("paused:max_actions_per_service/slack");

        MissionInfo decided = m.awaitDecision(Duration.ofMinutes(5));

        assertThat(decided.status()).isEqualTo(MissionStatus.ACTIVE);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1));
        assertThat(heard).containsExactly("paused:max_actions_per_service/slack", "resumed:ACTIVE");
        assertThat(m.passport().jti()).isEqualTo("pp_1");
    }

    @Test
    void awaitDecisionGivesUpAtTheTimeoutWithTheMissionStillPaused() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        for (int i = 0; i < 10; i++) {
            server.enqueue(json(200, mission("ms_1", "paused", ",\"paused_cap\":\"max_actions\"")));
        }
        StackClient client = client();
        Mission m = client.missions().start(request());

        MissionInfo still = m.awaitDecision(Duration.ofSeconds(5));

        assertThat(still.status()).isEqualTo(MissionStatus.PAUSED);
        assertThat(still.paused()).contains(MissionLimits.MAX_ACTIONS);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void awaitDecisionStopsAtOnceWhenInterrupted() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(200, mission("ms_1", "paused", ",\"paused_cap\":\"max_actions\"")));
        StackClient client = clientBuilder()
                .agentId("agt_1")
                .scheduler(scheduler)
                .sleeper(d -> {
                    throw new InterruptedException();
                })
                .build();
        Mission m = client.missions().start(request());

        try {
            assertThatThrownBy(() -> m.awaitDecision(Duration.ofMinutes(5)))
                    .isInstanceOf(StackInterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void decideSendsTheDecisionAndMissionNotPausedIsAConflict() throws Exception {
        server.enqueue(json(200, mission("ms_1", "active", ",\"limits\":{\"max_actions\":50}")));
        server.enqueue(error(409, "MISSION_NOT_PAUSED", "mission is not paused"));
        StackClient client = client();

        client.missions().decide("ms_1", PauseDecision.raise(50));
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"decision\":\"raise\",\"limit\":50}");

        assertThatThrownBy(() -> client.missions().decide("ms_1", PauseDecision.continueAsIs()))
                .isInstanceOf(StackConflictException.class)
                .extracting(e -> ((StackException) e).errorCode())
                .isEqualTo("MISSION_NOT_PAUSED");
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"decision\":\"continue\"}");
    }

    @Test
    void runCompletesWithTheOutputTheBodySet() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(200, mission("ms_1", "completed", ",\"end_reason\":\"completed\"")));
        StackClient client = client();

        MissionInfo done = client.missions().run(request(), m -> m.output(List.of("a", "b")));

        server.takeRequest();
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"output\":[\"a\",\"b\"]}");
        assertThat(done.status()).isEqualTo(MissionStatus.COMPLETED);
    }

    @Test
    void runRevokesWithTheFailureInTheNotesAndRethrowsTheCheckedException() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(
                200,
                "{\"mission_id\":\"ms_1\",\"status\":\"revoked\",\"end_reason\":\"operator_initiated_clean\","
                        + "\"transitioned\":true,\"revoked_jtis\":[\"pp_1\"]}"));
        StackClient client = client();
        IOException boom = new IOException("disk full");

        assertThatThrownBy(() -> client.missions().run(request(), m -> {
                    throw boom;
                }))
                .isSameAs(boom);

        server.takeRequest();
        RecordedRequest revoke = server.takeRequest();
        assertThat(revoke.getUrl().encodedPath()).isEqualTo("/v1/missions/ms_1/revoke");
        assertThat(revoke.getBody().utf8())
                .isEqualTo("{\"reason\":\"operator_initiated_clean\",\"notes\":"
                        + "\"mission body failed: java.io.IOException: disk full\"}");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void renewHoldsTheNewMissionAndEndsTheOld() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(
                json(201, started("ms_2", "pp_2", "logged", Duration.ofMinutes(15), ",\"renewed_from\":\"ms_1\"")));
        StackClient client = client();
        Mission m = client.missions().start(request());
        Passport old = m.passport();

        Mission next = m.renew();

        server.takeRequest();
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/missions/ms_1/renew");
        assertThat(next.id()).isEqualTo("ms_2");
        assertThat(next.info().renewedFrom()).isEqualTo("ms_1");
        assertThat(next.passport().jti()).isEqualTo("pp_2");
        assertThatThrownBy(() -> client.passports().requireUsable(old))
                .isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void enforcedMissionsCheckInWellInsideTheIntervalWithWhatTheSdkSaw() throws Exception {
        Duration interval = Duration.ofSeconds(300);
        server.enqueue(
                json(201, started("ms_1", "pp_1", "enforced", interval, ",\"checkpoint_interval_seconds\":300")));
        StackClient client = client();
        Mission m = client.missions().start(request());
        ClientTestHooks.events(client)
                .publish(new ClientEvent(
                        clock.instant(),
                        "proxy.call",
                        ClientEvent.Outcome.SUCCESS,
                        "pp_1",
                        null,
                        Map.of("service", "slack")));
        ClientTestHooks.events(client)
                .publish(new ClientEvent(
                        clock.instant(), "proxy.call", ClientEvent.Outcome.SUCCESS, "pp_other", null, Map.of()));
        Instant exp2 = now().plus(Duration.ofSeconds(150 + 300));
        server.enqueue(json(
                200,
                "{\"jti\":\"pp_1\",\"expires_at\":\"" + exp2 + "\",\"accepted\":true,\"signals\":[],\"token\":\""
                        + token("pp_1", exp2, "enforced") + "\"}"));

        clock.advance(Duration.ofSeconds(149));
        assertThat(scheduler.runDue()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.runDue()).isEqualTo(1);

        server.takeRequest();
        RecordedRequest cp = server.takeRequest();
        assertThat(cp.getUrl().encodedPath()).isEqualTo("/v1/passports/pp_1/checkpoint");
        assertThat(cp.getHeaders().get("Idempotency-Key")).startsWith("ckpt_");
        assertThat(cp.getBody().utf8())
                .isEqualTo("{\"services_used\":[\"slack\"],\"actions_count\":1,"
                        + "\"summary\":\"scheduled checkpoint of mission ms_1\"}");
        assertThat(m.passport().expiresAt()).isEqualTo(exp2);
        assertThat(scheduler.nextDue()).isEqualTo(clock.instant().plus(Duration.ofSeconds(150)));
    }

    @Test
    void aFailingCheckpointIsRetriedWithTheSameKeyAndEndsInATypedErrorOnlyWhenThePassportExpires() throws Exception {
        Duration interval = Duration.ofSeconds(300);
        server.enqueue(
                json(201, started("ms_1", "pp_1", "enforced", interval, ",\"checkpoint_interval_seconds\":300")));
        StackClient client = clientBuilder()
                .agentId("agt_1")
                .scheduler(scheduler)
                .retryPolicy(RetryPolicy.none())
                .passportRefreshPolicy(run.getstack.sdk.passport.PassportRefreshPolicy.builder()
                        .jitterFraction(0)
                        .refreshFraction(0.99)
                        .expiryMargin(Duration.ZERO)
                        .build())
                .build();
        Mission m = client.missions().start(request());
        List<String> failed = new CopyOnWriteArrayList<>();
        m.addListener(new MissionListener() {
            @Override
            public void checkpointsFailed(String missionId, StackException failure) {
                failed.add(failure.getClass().getSimpleName());
            }
        });
        Instant expiry = now().plus(interval);
        server.takeRequest();
        List<String> keys = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        // the control plane stays down; every due checkpoint fails
        while (clock.instant().isBefore(expiry)) {
            server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
            Instant due = scheduler.nextDue();
            assertThat(due).isNotNull();
            clock.advance(Duration.between(clock.instant(), due));
            if (!clock.instant().isBefore(expiry)) {
                break;
            }
            scheduler.runDue();
            RecordedRequest r = server.takeRequest();
            keys.add(r.getHeaders().get("Idempotency-Key"));
            bodies.add(r.getBody().utf8());
            assertThat(failed).isEmpty();
            assertThat(m.passport().jti()).isEqualTo("pp_1"); // not before expiry
        }
        assertThat(keys).hasSizeGreaterThan(3).allMatch(k -> k.equals(keys.get(0)));
        assertThat(bodies).allMatch(b -> b.equals(bodies.get(0)));

        scheduler.runDue();

        assertThat(failed).containsExactly("StackPassportExpiredException");
        assertThatThrownBy(m::passport).isInstanceOf(StackPassportExpiredException.class);
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void loggedMissionsSendNoCheckpoints() throws Exception {
        server.enqueue(json(
                201,
                started("ms_1", "pp_1", "logged", Duration.ofSeconds(900), ",\"checkpoint_interval_seconds\":300")));
        StackClient client = client();

        client.missions().start(request());

        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void reportsAreParsedCheckedAndPrintable() throws Exception {
        String op = "op_1";
        String h1 = MissionCodec.entryHash(
                "aud_1", 1000, op, "agt_1", "system", "passport.issue", "success", "0".repeat(64));
        String h2 = MissionCodec.entryHash("aud_2", 2000, op, "agt_2", "system", "passport.delegate", "success", h1);
        String passportReport = "{\"jti\":\"pp_1\",\"agent_id\":\"agt_1\",\"mission_id\":\"ms_1\",\"parent_jti\":null,"
                + "\"intent_summary\":\"Post the weekly update\",\"services\":[\"slack\"],\"issued_at\":\"" + now()
                + "\",\"expires_at\":\"" + now().plusSeconds(900) + "\",\"status\":\"revoked\",\"checkpoints\":["
                + "{\"at\":\"" + now() + "\",\"services_used\":[\"slack\"],\"actions_count\":2,\"summary\":\"ok\"}],"
                + "\"checkout\":null,\"review\":null}";
        String child = passportReport
                .replace("\"jti\":\"pp_1\"", "\"jti\":\"pp_2\"")
                .replace("\"agent_id\":\"agt_1\"", "\"agent_id\":\"agt_2\"")
                .replace("\"parent_jti\":null", "\"parent_jti\":\"pp_1\"");
        String entries = "[" + entry("aud_1", 1000, "agt_1", "pp_1", "passport.issue", "0".repeat(64), h1) + ","
                + entry("aud_2", 2000, "agt_2", "pp_2", "passport.delegate", h1, h2) + "]";
        String report = "{\"mission\":" + mission("ms_1", "completed", ",\"end_reason\":\"completed\"")
                + ",\"passports\":[" + passportReport + "," + child + "],\"audit\":" + entries
                + ",\"chain\":{\"valid\":true,\"checked\":40}}";
        server.enqueue(json(200, passportReport));
        server.enqueue(json(200, report));
        server.enqueue(json(200, report.replace(h2 + "\"}", "f".repeat(64) + "\"}")));
        server.enqueue(json(200, report.replace("\"valid\":true", "\"valid\":false")));
        StackClient client = client();

        PassportReport pr = client.passports().report("pp_1");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/passports/pp_1/report");
        assertThat(pr.checkpoints()).hasSize(1);
        assertThat(pr.toText()).contains("passport pp_1 (revoked)", "mission:  ms_1", "2 actions on [slack]");
        assertThat(pr.toJson()).contains("\"jti\":\"pp_1\"", "\"actions_count\":2", "\"checkout\":null");

        MissionReport mr = client.missions().report("ms_1");
        assertThat(mr.passports()).extracting(PassportReport::jti).containsExactly("pp_1", "pp_2");
        assertThat(mr.audit())
                .extracting(MissionReport.AuditRecord::action)
                .containsExactly("passport.issue", "passport.delegate");
        assertThat(mr.chainEntriesChecked()).isEqualTo(40);
        assertThat(mr.toText()).contains("mission ms_1 (completed, completed)", "parent:   pp_1", "passport.delegate");
        assertThat(mr.toJson()).contains("\"mission_id\":\"ms_1\"", "\"entry_hash\":\"" + h2 + "\"");

        assertThatThrownBy(() -> client.missions().report("ms_1"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("does not match its hash");
        assertThatThrownBy(() -> client.missions().report("ms_1"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("chain broken");
    }

    private static String entry(String id, long ts, String agent, String jti, String action, String prev, String hash) {
        return "{\"entry_id\":\"" + id + "\",\"timestamp\":" + ts + ",\"operator_id\":\"op_1\",\"agent_id\":\"" + agent
                + "\",\"passport_jti\":\"" + jti + "\",\"layer\":\"system\",\"action\":\"" + action
                + "\",\"outcome\":\"success\",\"prev_entry_hash\":\"" + prev + "\",\"entry_hash\":\"" + hash + "\"}";
    }

    @Test
    void theClientsOwnPassportIsTheCurrentMissionsAndEndsWithIt() throws Exception {
        server.enqueue(json(201, started("ms_1", "pp_1", "logged", Duration.ofMinutes(15), "")));
        server.enqueue(json(200, mission("ms_1", "completed", ",\"end_reason\":\"completed\"")));
        StackClient client = clientBuilder()
                .agentId("agt_1")
                .scheduler(scheduler)
                .missionRequest(request())
                .build();

        assertThat(client.passport().peek()).isEmpty();
        assertThat(client.passport().current().jti()).isEqualTo("pp_1");
        assertThat(client.currentMission().id()).isEqualTo("ms_1");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/missions");

        client.missions().complete("ms_1", null);

        assertThat(client.passport().isTerminal()).isTrue();
        assertThatThrownBy(() -> client.passport().current()).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void theClientCanHoldThePassportOfAMissionOpenedElsewhere() throws Exception {
        Instant exp = now().plus(Duration.ofMinutes(15));
        server.enqueue(json(200, mission("ms_5", "active", "")));
        server.enqueue(json(
                201,
                "{\"token\":\"" + token("pp_5", exp, "logged") + "\",\"jti\":\"pp_5\",\"expires_at\":\"" + exp
                        + "\",\"issued_at\":\"" + now() + "\",\"agent_id\":\"agt_1\",\"session_id\":\"ses_1\","
                        + "\"delegation_depth\":0,\"mission_id\":\"ms_5\"}"));
        StackClient client = clientBuilder()
                .agentId("agt_1")
                .scheduler(scheduler)
                .mission("ms_5")
                .build();

        assertThat(client.passport().current().jti()).isEqualTo("pp_5");

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/missions/ms_5");
        RecordedRequest issue = server.takeRequest();
        assertThat(issue.getUrl().encodedPath()).isEqualTo("/v1/passports/issue");
        assertThat(issue.getBody().utf8()).contains("\"mission_ids\":[\"ms_5\"]");
    }

    @Test
    void requestsValidateAtOnce() {
        assertThatThrownBy(() -> MissionRequest.builder(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intentSummary");
        assertThatThrownBy(() -> MissionRequest.builder("x").services("Slack"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("services");
        assertThatThrownBy(() -> MissionLimits.builder().maxActions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxActions");
        assertThatThrownBy(() -> PauseDecision.raise(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client().missions().get("../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
