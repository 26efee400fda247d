package run.getstack.sdk;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A MockWebServer dispatcher that plays STACK's passport endpoints (issue, refresh) per docs/wire-protocol.md §3,
 * on the test clock, with a per-path request journal and switchable failure modes for refresh.
 */
final class FakePassportEndpoints extends Dispatcher {
    enum RefreshMode {
        OK,
        UNAVAILABLE,
        REVOKED,
        EXPIRED
    }

    private final TestClock clock;
    private final AtomicInteger ids = new AtomicInteger();
    final Map<String, AtomicInteger> journal = new ConcurrentHashMap<>();
    final AtomicReference<RefreshMode> refreshMode = new AtomicReference<>(RefreshMode.OK);
    volatile Duration ttl = Duration.ofSeconds(900);
    volatile Duration serverClockAhead = Duration.ZERO;
    /** How long before the server's now the reported {@code issued_at} lies (expiry stays now + ttl). */
    volatile Duration issuedAgo = Duration.ZERO;
    /** When set, refresh (and issue) wait for this latch after counting down {@link #blockedArrived}. */
    volatile CountDownLatch gate = new CountDownLatch(0);

    final CountDownLatch blockedArrived = new CountDownLatch(1);

    FakePassportEndpoints(TestClock clock) {
        this.clock = clock;
    }

    int count(String path) {
        AtomicInteger n = journal.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        String path = request.getUrl().encodedPath();
        journal.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        switch (path) {
            case "/v1/passports/issue":
                awaitGate();
                return issued(0, null);
            case "/v1/missions":
                // docs/wire-protocol.md §10.4.2: the mission and its passport in one call
                awaitGate();
                return started();
            case "/v1/passports/refresh":
                awaitGate();
                switch (refreshMode.get()) {
                    case UNAVAILABLE:
                        return error(503, "SERVICE_UNAVAILABLE", "control plane down");
                    case REVOKED:
                        return error(401, "PASSPORT_REVOKED", "Passport has been revoked");
                    case EXPIRED:
                        return error(401, "PASSPORT_EXPIRED", "Passport expired beyond the refresh window");
                    default:
                        return issued(0, null);
                }
            default:
                return error(404, "NOT_FOUND", "no route " + path);
        }
    }

    private void awaitGate() throws InterruptedException {
        CountDownLatch g = gate;
        if (g.getCount() > 0) {
            blockedArrived.countDown();
            if (!g.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test gate never opened");
            }
        }
    }

    private Instant serverNow() {
        return clock.instant().plus(serverClockAhead).truncatedTo(ChronoUnit.SECONDS);
    }

    MockResponse issued(int depth, String parentJti) {
        return respond(passportBody(depth, parentJti));
    }

    private MockResponse started() {
        Instant now = serverNow();
        return respond("{\"mission_id\":\"ms_" + ids.get() + "\",\"agent_id\":\"agt_1\",\"status\":\"active\","
                + "\"intent_summary\":\"test\",\"services\":[],\"started_at\":\"" + now + "\",\"passport\":"
                + passportBody(0, null) + "}");
    }

    private String passportBody(int depth, String parentJti) {
        Instant now = serverNow();
        Instant exp = now.plus(ttl);
        String jti = "pp_" + ids.incrementAndGet();
        String token = token(jti, "agt_1", exp, depth);
        return "{\"token\":\"" + token + "\",\"jti\":\"" + jti + "\",\"expires_at\":\"" + exp
                + "\",\"issued_at\":\"" + now.minus(issuedAgo) + "\",\"agent_id\":\"agt_1\",\"session_id\":\"ses_1\","
                + "\"delegation_depth\":" + depth + (parentJti == null ? "" : ",\"parent_jti\":\"" + parentJti + "\"")
                + "}";
    }

    private MockResponse respond(String body) {
        Instant now = serverNow();
        return new MockResponse.Builder()
                .code(201)
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atZone(ZoneOffset.UTC)))
                .setHeader("Cache-Control", "no-store")
                .body(body)
                .build();
    }

    static String token(String jti, String agent, Instant exp, int depth) {
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

    private MockResponse error(int status, String code, String message) {
        return new MockResponse.Builder()
                .code(status)
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .setHeader(
                        "Date",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(serverNow().atZone(ZoneOffset.UTC)))
                .body("{\"error\":{\"message\":\"" + message + "\",\"code\":\"" + code + "\"}}")
                .build();
    }
}
