package run.getstack.sdk.proxy.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.StackNetworkException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.StackServerException;
import run.getstack.sdk.StackTimeoutException;
import run.getstack.sdk.control.StackReviewRequiredException;
import run.getstack.sdk.credential.internal.CapabilityContext;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.proxy.ProxyResponse;
import run.getstack.sdk.proxy.StackConstraintFailedException;
import run.getstack.sdk.proxy.StackProxy;
import run.getstack.sdk.proxy.StackProxyOutcomeUnknownException;
import run.getstack.sdk.proxy.StackUpstreamException;
import run.getstack.sdk.proxy.StackUpstreamTimeoutException;

/**
 * Internal, not for public use. {@link StackProxy} over {@code POST /v1/proxy} (wire protocol §6): one {@code
 * authority_request_id} per logical call, sent in the body and as the {@code Idempotency-Key}, so the transport's
 * retries of the call reuse it.
 */
public final class DefaultStackProxy implements StackProxy {
    private static final SecureRandom IDS = new SecureRandom();

    private final CapabilityContext ctx;

    /**
     * Creates the resource.
     *
     * @param ctx the shared context
     */
    public DefaultStackProxy(CapabilityContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
    }

    /**
     * Generates an {@code authority_request_id}: {@code arq_} and 32 random hex characters.
     *
     * @return a new id
     */
    public static String newAuthorityRequestId() {
        byte[] b = new byte[16];
        IDS.nextBytes(b);
        return "arq_" + HexFormat.of().formatHex(b);
    }

    @Override
    public ProxyResponse call(ProxyRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = Json.object();
        body.put("service", request.service());
        body.put("method", request.method());
        body.put("url", request.url());
        if (!request.headers().isEmpty()) {
            ObjectNode h = body.putObject("headers");
            request.headers().forEach(h::put);
        }
        if (!request.query().isEmpty()) {
            ObjectNode q = body.putObject("query");
            request.query().forEach(q::put);
        }
        String json = request.jsonBody();
        if (json != null) {
            body.set("body", parseBody(json));
        }
        String given = request.authorityRequestId();
        String arid = given != null ? given : newAuthorityRequestId();
        body.put("authority_request_id", arid);
        String approval = request.approvalId();
        if (approval != null) {
            body.put("approval_id", approval);
        }

        Passport p = ctx.currentPassport();
        ctx.requireProviderInScope(p, request.service(), "proxy call");
        ApiRequest api = ApiRequest.post("/v1/proxy", body)
                .passportToken(p.token())
                .idempotencyKey(arid)
                .timeout(callTimeout)
                .build();
        Instant start = ctx.now();
        try {
            ProxyResponse r = ctx.transport().execute(api, resp -> decode(resp.requireObject(), arid));
            publish(request, p, arid, start, ClientEvent.Outcome.SUCCESS, Integer.toString(r.status()), null);
            return r;
        } catch (StackException e) {
            StackException mapped = map(e, request, arid, p);
            publish(request, p, arid, start, ClientEvent.Outcome.FAILURE, null, e.errorCode());
            if (mapped instanceof StackReviewRequiredException held) {
                // docs/wire-protocol.md §15: keep the exact bytes that were sent, for the one resend
                throw withHold(held, request, Objects.requireNonNull(api.body()), arid);
            }
            throw mapped;
        }
    }

    private StackReviewRequiredException withHold(
            StackReviewRequiredException held, ProxyRequest request, byte[] sent, String arid) {
        return ProxyReviewHold.of(this, request, sent, arid, held)
                .answer(
                        "proxy call " + request.method() + " via " + request.service() + " " + held.detailMessage(),
                        held,
                        held.getCause());
    }

    /**
     * The passport a resume sends under: the agent's current one (the held call's may have been refreshed since),
     * checked against the service again. Nothing is sent yet.
     */
    Passport passportForResend(ProxyRequest request) {
        Passport p = ctx.currentPassport();
        ctx.requireProviderInScope(p, request.service(), "resumed proxy call");
        return p;
    }

    /**
     * Resends a held call (docs/wire-protocol.md §15): the same path, body bytes and {@code authority_request_id}
     * (also the {@code Idempotency-Key}, so the transport's retries of the resend get STACK's stored outcome), plus
     * {@code X-Control-Ref}; authentication, the passport header and the request id are this exchange's own.
     */
    ProxyResponse resend(ProxyReviewHold hold, Passport p) {
        ProxyRequest request = hold.request();
        String arid = hold.authorityRequestId();
        ApiRequest api = ApiRequest.builder("POST", "/v1/proxy")
                .jsonBytes(hold.body())
                .passportToken(p.token())
                .idempotencyKey(arid)
                .header(CONTROL_REF_HEADER, hold.controlRef())
                .timeout(callTimeout)
                .build();
        Instant start = ctx.now();
        try {
            ProxyResponse r = ctx.transport().execute(api, resp -> decode(resp.requireObject(), arid));
            publish(request, p, arid, start, ClientEvent.Outcome.SUCCESS, Integer.toString(r.status()), null);
            return r;
        } catch (StackException e) {
            StackException mapped = map(e, request, arid, p);
            publish(request, p, arid, start, ClientEvent.Outcome.FAILURE, null, e.errorCode());
            throw mapped;
        }
    }

    /** The header a resend names its hold in. */
    static final String CONTROL_REF_HEADER = "X-Control-Ref";

    /**
     * A proxy call's own time limit (docs/wire-protocol.md §6, §11: 35 s): STACK waits up to 30 s for the upstream,
     * plus its own overhead, so the client's 30 s read timeout would cut a slow but answered call short (and leave
     * a non-GET call's outcome unknown).
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(35);

    /** {@link #CALL_TIMEOUT}; shorter only in tests, so that they need no long real wait. */
    private volatile Duration callTimeout = CALL_TIMEOUT;

    /** Test seam: sets the proxy calls' time limit. */
    void callTimeout(Duration limit) {
        this.callTimeout = Objects.requireNonNull(limit, "limit");
    }

    private static JsonNode parseBody(String json) {
        try {
            return Json.parse(json.getBytes(StandardCharsets.UTF_8), 0, null);
        } catch (StackMalformedResponseException e) {
            throw new IllegalArgumentException("jsonBody: not valid JSON");
        }
    }

    private StackException map(StackException e, ProxyRequest request, String arid, Passport p) {
        String code = e.errorCode();
        String what = "proxy call " + request.method() + " via " + request.service();
        if (e instanceof StackApiException api) {
            if ("UPSTREAM_TIMEOUT".equals(code)) {
                return new StackUpstreamTimeoutException(
                        what + ": the upstream did not answer in time (authority_request_id " + arid + ")",
                        api.httpStatus(),
                        code,
                        api.requestId(),
                        api.reason(),
                        api.retryAfter().orElse(null),
                        e);
            }
            if ("UPSTREAM_ERROR".equals(code)) {
                return new StackUpstreamException(
                        what + ": the upstream could not be reached or answered too much ("
                                + (api.reason() == null ? "no reason given" : api.reason()) + ", authority_request_id "
                                + arid + ")",
                        api.httpStatus(),
                        code,
                        api.requestId(),
                        api.reason(),
                        api.retryAfter().orElse(null),
                        e);
            }
            if (e instanceof StackPermissionException pe && StackConstraintFailedException.REASON.equals(pe.reason())) {
                return new StackConstraintFailedException(
                        what + " refused by a constraint of the passport's scope for " + request.service(),
                        pe.httpStatus(),
                        code,
                        pe.requestId(),
                        pe.retryAfter().orElse(null),
                        e);
            }
        }
        // an open circuit sent nothing: the outcome is known (not run), whatever the method
        boolean unknown =
                (e instanceof StackNetworkException && !(e instanceof run.getstack.sdk.StackCircuitOpenException))
                        || e instanceof StackTimeoutException
                        || (e instanceof StackServerException && e.httpStatus() != 503)
                        || e instanceof StackMalformedResponseException;
        if (unknown && !"GET".equals(request.method())) {
            return new StackProxyOutcomeUnknownException(
                    what + ": the outcome is unknown (" + e.getClass().getSimpleName()
                            + "); STACK does not resend it. Resend the same request with authorityRequestId " + arid
                            + " to run it at most once",
                    arid,
                    e);
        }
        return ctx.refusal(e, p, "proxy call");
    }

    private static ProxyResponse decode(JsonNode o, String arid) {
        JsonNode st = o.get("status");
        if (st == null || !st.isIntegralNumber() || st.asInt() < 100 || st.asInt() > 599) {
            throw new ResponseShapeException("field 'status' is missing or not an HTTP status");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = o.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject() || h.size() > 1000) {
                throw new ResponseShapeException("field 'headers' is not an object of at most 1000 strings");
            }
            for (Map.Entry<String, JsonNode> e : h.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new ResponseShapeException("field 'headers' has a value that is not a string");
                }
                headers.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
            }
        }
        JsonNode body = o.get("body");
        JsonNode enc = o.get("body_encoding");
        ProxyResponse.BodyEncoding encoding;
        if (enc == null || enc.isNull()) {
            encoding = body != null && body.isTextual()
                    ? ProxyResponse.BodyEncoding.TEXT
                    : body == null || body.isNull() ? ProxyResponse.BodyEncoding.TEXT : ProxyResponse.BodyEncoding.JSON;
        } else if (enc.isTextual()) {
            encoding = switch (enc.asText()) {
                case "json" -> ProxyResponse.BodyEncoding.JSON;
                case "text" -> ProxyResponse.BodyEncoding.TEXT;
                case "base64" -> ProxyResponse.BodyEncoding.BASE64;
                default -> throw new ResponseShapeException("field 'body_encoding' is not json, text or base64");
            };
        } else {
            throw new ResponseShapeException("field 'body_encoding' is not a string");
        }
        @Nullable String text;
        byte[] bytes;
        if (body == null || body.isNull()) {
            text = null;
            bytes = new byte[0];
        } else {
            switch (encoding) {
                case JSON -> {
                    text = new String(Json.write(body), StandardCharsets.UTF_8);
                    bytes = text.getBytes(StandardCharsets.UTF_8);
                }
                case TEXT -> {
                    if (!body.isTextual()) {
                        throw new ResponseShapeException("a text body is not a string");
                    }
                    text = body.asText();
                    bytes = text.getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    if (!body.isTextual()) {
                        throw new ResponseShapeException("a base64 body is not a string");
                    }
                    try {
                        bytes = Base64.getDecoder().decode(body.asText());
                    } catch (IllegalArgumentException e) {
                        throw new ResponseShapeException("a base64 body is not valid base64");
                    }
                    text = null;
                }
            }
        }
        return new ProxyResponse(st.asInt(), headers, encoding, text, bytes, arid);
    }

    private void publish(
            ProxyRequest request,
            Passport p,
            String arid,
            Instant start,
            ClientEvent.Outcome outcome,
            @Nullable String status,
            @Nullable String errorCode) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("service", request.service());
        d.put("method", request.method());
        HttpUrl url = HttpUrl.parse(request.url());
        if (url != null) {
            d.put("host", url.host());
        }
        d.put("authority_request_id", arid);
        if (status != null) {
            d.put("status", status);
        }
        if (errorCode != null) {
            d.put("error_code", errorCode);
        }
        ctx.publish("proxy.call", outcome, p.jti(), Duration.between(start, ctx.now()), d);
    }

    @Override
    public Interceptor interceptor(String service) {
        return new ProxyInterceptor(this, ctx.checkProvider(service, "service", "the proxy selects by provider"));
    }
}
