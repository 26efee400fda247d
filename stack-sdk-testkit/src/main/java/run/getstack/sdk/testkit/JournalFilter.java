package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.pipeline.Exchange;
import run.getstack.sdk.testkit.internal.pipeline.Filter;
import run.getstack.sdk.testkit.internal.route.SafePath;

/**
 * Records every request in the {@link RequestJournal} once it is answered: bearer tokens as fingerprints, passport
 * tokens as their jti, lease ids and secrets in the path masked (wire protocol §5.6).
 */
final class JournalFilter implements Filter {
    /** The path and query as sent (encoded), for faults and the journal. */
    record RawTarget(String path, String query) {}

    private final RequestJournal journal;
    private final Clock clock;

    JournalFilter(RequestJournal journal, Clock clock) {
        this.journal = journal;
        this.clock = clock;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        Instant at = clock.instant();
        EngineResponse resp = next.proceed(exchange);
        EngineRequest req = exchange.request();
        RawTarget target = exchange.attribute(RawTarget.class);
        FaultRule.Action fault = exchange.attribute(FaultRule.Action.class);
        record(
                at,
                req.method(),
                target == null ? req.path() : target.path(),
                target == null ? "" : target.query(),
                req.requestId(),
                req.headers(),
                req.body(),
                resp.status(),
                fault == null ? null : fault.kind());
        return resp;
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
                SafePath.of(path),
                query,
                requestId,
                headers.get("idempotency-key"),
                jti,
                Map.copyOf(safe),
                new String(body, StandardCharsets.UTF_8),
                status,
                fault));
    }

    private static @Nullable String jtiOf(String token) {
        try {
            JsonNode jti = Jws.parse(token).claims().get("jti");
            return jti != null && jti.isTextual() ? jti.asText() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
