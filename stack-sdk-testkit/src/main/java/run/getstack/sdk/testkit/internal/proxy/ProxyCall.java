package run.getstack.sdk.testkit.internal.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.grants.Constraints;
import run.getstack.sdk.testkit.internal.intents.IntentService;
import run.getstack.sdk.testkit.internal.missions.MissionCaps;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.ServiceScope;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.services.ConnectionService;
import run.getstack.sdk.testkit.internal.services.CredentialAccess;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. {@code POST /v1/proxy} (wire protocol §6): checks and credential injection under the
 * state lock, the upstream call without it, the audit entry under it again.
 */
final class ProxyCall {
    private final FakeState state;
    private final Services services;
    private final Proxy proxy;

    ProxyCall(FakeState state, Services services, Proxy proxy) {
        this.state = state;
        this.services = services;
        this.proxy = proxy;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    private static final Set<String> PROXY_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "set-cookie",
            "content-length");

    EngineResponse call(Call req) {
        String trace = req.requestId();
        String opId = req.operatorId();
        Proxy.Call call;
        String jti;
        String agentId;
        @Nullable String missionId;
        state.lock();
        try {
            Body b = req.body(false);
            String service = b.reqString("service", 128);
            String method = b.reqString("method", 16);
            if (!PROXY_METHODS.contains(method)) {
                throw ApiError.invalid("method", "must be one of GET, POST, PUT, PATCH, DELETE");
            }
            String url = b.reqString("url", 8192);
            Body headersBody = b.optObject("headers");
            Body queryBody = b.optObject("query");
            JsonNode body = b.raw("body");
            String authorityRequestId = b.optString("authority_request_id", 255);
            if (!method.equals("GET") && (authorityRequestId == null || authorityRequestId.isBlank())) {
                // hosted STACK (its live stack_proxy_request tool): every non-GET call names its operation, so a
                // retry is counted once; a different request under the same id is a 409 (the idempotency filter)
                throw ApiError.invalid("authority_request_id", "is required for a non-GET proxy call");
            }
            Map<String, String> headers = stringMap(headersBody, "headers");
            Map<String, String> query = stringMap(queryBody, "query");
            java.net.URI uri;
            try {
                uri = java.net.URI.create(url);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalid("url", "must be an absolute URL");
            }
            if (!uri.isAbsolute() || uri.getHost() == null) {
                throw ApiError.invalid("url", "must be an absolute URL");
            }
            CredentialAccess.Resolved r =
                    services.get(CredentialAccess.class).resolve(req, service, null, true, "credential.proxy", false);
            Passport p = Objects.requireNonNull(r.passport());
            // an enforced passport needs an approved intent for this call, consumed by it (§14.3)
            services.get(IntentService.class)
                    .consume(p, b.optString("approval_id", 128), "http_call", service, method, trace);
            byte[] payload = null;
            if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
                payload = Json.write(body).getBytes(StandardCharsets.UTF_8);
            }
            // wire protocol §10.4.5: one action, its request bytes and its price, counted before it is forwarded
            services.get(MissionCaps.class)
                    .countProxyCall(
                            p.missionId,
                            r.connection().service.provider(),
                            payload == null ? 0 : payload.length,
                            trace);
            for (ServiceScope scope : p.services) {
                if (!scope.connectionId().equals(r.connection().id)) {
                    continue;
                }
                for (ObjectNode c : scope.constraints()) {
                    String cpath = c.path("path").asText();
                    if (!Constraints.holds(c, Constraints.value(cpath, method, uri, headers, query, body))) {
                        audit().append(
                                        opId,
                                        p.agentId,
                                        p.jti,
                                        "credential.proxy",
                                        "blocked",
                                        trace,
                                        null,
                                        "FORBIDDEN",
                                        null,
                                        null,
                                        null);
                        ObjectNode det = Json.object();
                        det.put("reason", "constraint_failed");
                        det.put("path", cpath);
                        throw new ApiError(403, "FORBIDDEN", "Request violates a constraint on " + cpath, det);
                    }
                }
            }
            ObjectNode secret = services.get(ConnectionService.class).openSecret(r.connection());
            Map<String, String> out = new LinkedHashMap<>(headers);
            out.keySet().removeIf(k -> k.equalsIgnoreCase("authorization"));
            if (secret.has("credential")) {
                out.put("Authorization", "Bearer " + secret.path("credential").asText());
            } else {
                JsonNode f = secret.path("credentials");
                if (f.has("username") && f.has("password")) {
                    String basic = f.path("username").asText() + ":"
                            + f.path("password").asText();
                    out.put(
                            "Authorization",
                            "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
                }
            }
            StringBuilder full = new StringBuilder(url);
            if (!query.isEmpty()) {
                full.append(url.contains("?") ? '&' : '?');
                boolean first = true;
                for (Map.Entry<String, String> e : query.entrySet()) {
                    if (!first) {
                        full.append('&');
                    }
                    first = false;
                    full.append(java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                            .append('=')
                            .append(java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
                }
            }
            if (payload != null) {
                out.putIfAbsent("Content-Type", "application/json");
            }
            call = new Proxy.Call(method, full.toString(), out, payload);
            jti = p.jti;
            agentId = p.agentId;
            missionId = p.missionId;
        } finally {
            state.unlock();
        }
        Proxy.Result result;
        long start = System.nanoTime();
        try {
            result = proxy.forward(call);
        } catch (ApiError e) {
            state.locked(() -> {
                audit().append(
                                opId,
                                agentId,
                                jti,
                                "credential.proxy",
                                "failure",
                                trace,
                                null,
                                e.code(),
                                null,
                                null,
                                null);
            });
            throw e;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        ObjectNode o = Json.object();
        o.put("status", result.status());
        ObjectNode h = o.putObject("headers");
        for (Map.Entry<String, List<String>> e : result.headers().entrySet()) {
            String name = e.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.startsWith(":")) {
                h.put(name, String.join(", ", e.getValue()));
            }
        }
        byte[] rb = result.body();
        state.locked(() -> services.get(MissionCaps.class).countResponseBytes(missionId, rb.length, trace));
        String ct = h.path("content-type").asText("").toLowerCase(java.util.Locale.ROOT);
        if (rb.length == 0) {
            o.putNull("body");
            o.put("body_encoding", "text");
        } else {
            JsonNode parsed = null;
            if (ct.startsWith("application/json") || ct.contains("+json")) {
                try {
                    parsed = Json.MAPPER.readTree(rb);
                } catch (java.io.IOException e) {
                    parsed = null;
                }
            }
            if (parsed != null) {
                o.set("body", parsed);
                o.put("body_encoding", "json");
            } else {
                java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
                try {
                    o.put("body", dec.decode(java.nio.ByteBuffer.wrap(rb)).toString());
                    o.put("body_encoding", "text");
                } catch (java.nio.charset.CharacterCodingException e) {
                    o.put("body", Base64.getEncoder().encodeToString(rb));
                    o.put("body_encoding", "base64");
                }
            }
        }
        ObjectNode d = Json.object();
        d.put("upstream_status", result.status());
        d.put("method", call.method());
        d.put("duration_ms", ms);
        state.locked(() -> {
            audit().append(opId, agentId, jti, "credential.proxy", "success", trace, d);
        });
        return EngineResponse.json(200, o);
    }

    private static Map<String, String> stringMap(@Nullable Body b, String field) {
        Map<String, String> m = new LinkedHashMap<>();
        if (b == null) {
            return m;
        }
        var it = b.node().properties().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw ApiError.invalid(field + "." + e.getKey(), "must be a string");
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }
}
