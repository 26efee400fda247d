package run.getstack.sdk.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okio.Buffer;
import okio.ByteString;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.pipeline.BodyLimitFilter;
import run.getstack.sdk.testkit.internal.pipeline.Exchange;
import run.getstack.sdk.testkit.internal.pipeline.Pipeline;
import run.getstack.sdk.testkit.internal.pipeline.RequestIdFilter;

/**
 * The HTTP front: turns MockWebServer's request into an {@link Exchange}, runs it through the filters every request
 * passes (request id, journal, faults, body limit, then the engine's error mapping, routing, authentication, agent
 * access and idempotency) and writes the answer, applying a claimed fault's socket effects.
 */
final class HttpFront extends Dispatcher {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Pipeline pipeline;
    private final Clock clock;
    private final Runnable drain;

    HttpFront(Engine engine, Faults faults, RequestJournal journal, Clock clock, long maxBodyBytes, Runnable drain) {
        this.pipeline = engine.pipeline()
                .behind(List.of(
                        new RequestIdFilter(),
                        new JournalFilter(journal, clock),
                        new FaultFilter(faults),
                        new BodyLimitFilter(maxBodyBytes)));
        this.clock = clock;
        this.drain = drain;
    }

    @Override
    public MockResponse dispatch(RecordedRequest rr) {
        drain.run();
        String method = rr.getMethod().toUpperCase(Locale.ROOT);
        HttpUrl url = rr.getUrl();
        Map<String, String> headers = new LinkedHashMap<>();
        Headers h = rr.getHeaders();
        for (int i = 0; i < h.size(); i++) {
            headers.putIfAbsent(h.name(i).toLowerCase(Locale.ROOT), h.value(i));
        }
        ByteString bs = rr.getBody();
        byte[] body = bs == null ? new byte[0] : bs.toByteArray();
        Exchange exchange = new Exchange(
                new EngineRequest(method, decodedPath(url), queryMap(url), headers, body, ""),
                rr.getBodySize(),
                rr.getFailure() != null);
        exchange.attribute(
                JournalFilter.RawTarget.class,
                new JournalFilter.RawTarget(url.encodedPath(), url.encodedQuery() == null ? "" : url.encodedQuery()));
        EngineResponse resp = pipeline.handle(exchange);
        FaultRule.Action fault = exchange.attribute(FaultRule.Action.class);
        MockResponse.Builder b = new MockResponse.Builder();
        if (fault != null && fault.kind() == FaultRule.Kind.DISCONNECT_BEFORE_RESPONSE) {
            return b.onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build();
        }
        b.code(resp.status());
        resp.headers().forEach(b::setHeader);
        b.setHeader("X-Request-Id", exchange.request().requestId());
        b.setHeader("Date", HTTP_DATE.format(clock.instant()));
        String text = resp.body();
        if (text != null) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (fault != null && fault.kind() == FaultRule.Kind.MALFORMED_BODY) {
                bytes = "<html>not json".getBytes(StandardCharsets.UTF_8);
            } else if (fault != null && fault.kind() == FaultRule.Kind.TRUNCATED_BODY) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length / 2);
            }
            if (!resp.headers().containsKey("Content-Type")) {
                b.setHeader("Content-Type", "application/json; charset=utf-8");
            }
            b.body(new Buffer().write(bytes));
        }
        if (fault != null && fault.kind() == FaultRule.Kind.LATENCY) {
            b.headersDelay(fault.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (fault != null && fault.kind() == FaultRule.Kind.DISCONNECT_DURING_RESPONSE_BODY) {
            b.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE);
        }
        return b.build();
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
}
