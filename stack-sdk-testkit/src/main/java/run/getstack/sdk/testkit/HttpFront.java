package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.Buffer;
import okio.ByteString;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.crypto.Hashes;

/** The HTTP front: request ids, body limit, faults, journal, then the engine. */
final class HttpFront extends Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final Pattern REQUEST_ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Engine engine;
    private final Faults faults;
    private final RequestJournal journal;
    private final Clock clock;
    private final long maxBodyBytes;
    private final Runnable drain;

    HttpFront(Engine engine, Faults faults, RequestJournal journal, Clock clock, long maxBodyBytes, Runnable drain) {
        this.engine = engine;
        this.faults = faults;
        this.journal = journal;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.drain = drain;
    }

    @Override
    public MockResponse dispatch(RecordedRequest rr) {
        drain.run();
        Instant at = clock.instant();
        String method = rr.getMethod().toUpperCase(Locale.ROOT);
        HttpUrl url = rr.getUrl();
        String path = url.encodedPath();
        String query = url.encodedQuery() == null ? "" : url.encodedQuery();
        Map<String, String> headers = new LinkedHashMap<>();
        Headers h = rr.getHeaders();
        for (int i = 0; i < h.size(); i++) {
            headers.putIfAbsent(h.name(i).toLowerCase(Locale.ROOT), h.value(i));
        }
        String sent = headers.get("x-request-id");
        String requestId = sent != null && REQUEST_ID.matcher(sent).matches() ? sent : Engine.newId("req_", 24);
        ByteString bs = rr.getBody();
        byte[] body = bs == null ? new byte[0] : bs.toByteArray();

        FaultRule.Action fault = faults.claim(method, path);
        EngineResponse resp = null;
        MockResponse.Builder b = new MockResponse.Builder();
        if (fault != null && fault.kind() == FaultRule.Kind.DISCONNECT_BEFORE_RESPONSE) {
            record(at, method, path, query, requestId, headers, body, 0, fault.kind());
            return b.onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
        }
        if (fault != null && fault.kind() == FaultRule.Kind.STATUS) {
            resp = statusFault(fault, requestId);
        } else if (rr.getBodySize() > maxBodyBytes) {
            resp = EngineResponse.json(
                    413,
                    ApiError.envelope(
                            "PAYLOAD_TOO_LARGE", "Request body exceeds " + maxBodyBytes + " bytes", null, requestId));
        } else if (rr.getFailure() != null) {
            resp = EngineResponse.json(
                    400, ApiError.envelope("INVALID_REQUEST", "Request could not be read", null, requestId));
        } else {
            try {
                resp = engine.handle(
                        new EngineRequest(method, decodedPath(url), queryMap(url), headers, body, requestId));
            } catch (RuntimeException e) {
                LOG.warn("fake control plane failed on {} {} (request {})", method, safePath(path), requestId, e);
                resp = EngineResponse.json(500, ApiError.envelope("INTERNAL_ERROR", "Internal error", null, requestId));
            }
        }
        b.code(resp.status());
        resp.headers().forEach(b::setHeader);
        b.setHeader("X-Request-Id", requestId);
        b.setHeader("Date", HTTP_DATE.format(clock.instant()));
        String text = resp.body();
        if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (fault != null && fault.kind() == FaultRule.Kind.MALFORMED_BODY) {
                bytes = "<html>not json".getBytes(StandardCharsets.UTF_8);
            } else if (fault != null && fault.kind() == FaultRule.Kind.TRUNCATED_BODY) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            }
            b.setHeader("Content-Type", "application/json; charset=utf-8");
            b.body(new Buffer().write(bytes));
        }
        if (fault != null && fault.kind() == FaultRule.Kind.LATENCY) {
            b.headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (fault != null && fault.kind() == FaultRule.Kind.DISCONNECT_DURING_RESPONSE_BODY) {
            b.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
        }
        record(at, method, path, query, requestId, headers, body, resp.status(), fault == null ? null : fault.kind());
        return b.build();
    }

    private static EngineResponse statusFault(FaultRule.Action fault, String requestId) {
        int status = fault.status();
        String code = fault.code() != null ? fault.code() : defaultCode(status);
        EngineResponse r = EngineResponse.json(
                status, ApiError.envelope(code, "Injected fault: " + status + " " + code, null, requestId));
        if (fault.retryAfter() != null) {
            r.headers().put("Retry-After", Long.toString(fault.retryAfter().toSeconds()));
        } else if (status == 429) {
            r.headers().put("Retry-After", "1");
        }
        return r;
    }

    static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "INVALID_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 409 -> "CONFLICT";
            case 410 -> "CURSOR_EXPIRED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 429 -> "RATE_LIMITED";
            case 502 -> "BAD_GATEWAY";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 504 -> "GATEWAY_TIMEOUT";
            default -> status >= 500 ? "INTERNAL_ERROR" : "INVALID_REQUEST";
        };
    }

    private static String decodedPath(HttpUrl url) {
        return "/" + String.join("/", url.pathSegments());
    }

    private static Map<String, String> queryMap(HttpUrl url) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String name : url.queryParameterNames()) {
            String v = url.queryParameter(name);
            q.put(name, v == null ? "" : v);
        }
        return q;
    }

    private void record(
            Instant at,
            String method,
            String path,
            String query,
            String requestId,
            Map<String, String> headers,
            byte[] body,
            int status,
            FaultRule.@Nullable Kind fault) {
        Map<String, String> safe = new LinkedHashMap<>();
        String jti = null;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "authorization" -> {
                    int sp = v.indexOf(' ');
                    String scheme = sp < 0 ? "?" : v.substring(0, sp);
                    String token = sp < 0 ? v : v.substring(sp + 1);
                    safe.put("authorization", scheme + " <redacted:" + Hashes.fingerprint(token) + ">");
                }
                case "x-passport-token" -> {
                    jti = jtiOf(v);
                    safe.put("x-passport-token", "<jti:" + (jti == null ? "unreadable" : jti) + ">");
                }
                default -> safe.put(e.getKey(), v);
            }
        }
        journal.record(new JournalEntry(
                at,
                method,
                safePath(path),
                query,
                requestId,
                headers.get("idempotency-key"),
                jti,
                Map.copyOf(safe),
                new String(body, StandardCharsets.UTF_8),
                status,
                fault));
    }

    /** Lease ids in paths are bearer-ish: journal and logs show a fingerprint instead (wire protocol §5.6). */
    static String safePath(String path) {
        if (path.startsWith("/v1/leases/")) {
            String[] segs = path.split("/", -1);
            if (segs.length > 3 && !segs[3].isEmpty()) {
                segs[3] = "lse:" + Hashes.fingerprint(segs[3]);
                return String.join("/", segs);
            }
        }
        return path;
    }

    private static @Nullable String jtiOf(String token) {
        try {
            JsonNode jti = Jws.parse(token).claims().get("jti");
            return jti != null && jti.isTextual() ? jti.asText() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String json(JsonNode n) {
        return Json.write(n);
    }
}
