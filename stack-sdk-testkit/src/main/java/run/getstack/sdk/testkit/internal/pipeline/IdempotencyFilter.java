package run.getstack.sdk.testkit.internal.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineRequest;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Wire protocol §1.8: a POST with an {@code Idempotency-Key} (or the route's
 * idempotency body field) is answered once; a repeat with the same request gets the stored response with {@code
 * Idempotency-Replayed: true}, a different request 409, a repeat while the first runs 409 in progress. The handler
 * runs outside this filter's lock hold.
 */
public final class IdempotencyFilter implements Filter {
    private static final Duration TTL = Duration.ofHours(24);

    /**
     * Marks an exchange whose refusal is not the operation's outcome (a route guard held or refused it before the
     * handler ran): its response is not stored, so a resend under the same key runs again.
     *
     * @param code the refusal's code
     */
    public record Unstored(String code) {}

    /** Checks a passport presented on a replay as the first request would have (e.g. post-checkout detection). */
    @FunctionalInterface
    public interface ReplayGuard {
        /**
         * Checks the token; runs under the state lock.
         *
         * @param operatorId the caller's operator
         * @param passportToken the {@code X-Passport-Token}
         * @param requestId the request id
         */
        void check(String operatorId, String passportToken, String requestId);
    }

    private final FakeState state;
    private final IdempotencyStore store;
    private final ReplayGuard replayGuard;

    /**
     * Creates the filter.
     *
     * @param state the state
     * @param store the stored responses (registered with the state)
     * @param replayGuard the passport check on replays
     */
    public IdempotencyFilter(FakeState state, IdempotencyStore store, ReplayGuard replayGuard) {
        this.state = state;
        this.store = store;
        this.replayGuard = replayGuard;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        String operatorId = exchange.operatorId();
        if (operatorId == null) {
            return next.proceed(exchange);
        }
        String key = key(exchange);
        if (key == null) {
            return next.proceed(exchange);
        }
        return withIdempotency(exchange, next, operatorId, operatorId + "\n" + key);
    }

    private static @Nullable String key(Exchange exchange) {
        EngineRequest req = exchange.request();
        if (!req.method().equals("POST")) {
            return null;
        }
        String key = req.header("idempotency-key");
        String field = exchange.route().idempotencyField();
        if (key == null && field != null) {
            try {
                JsonNode n = Json.MAPPER.readTree(req.body());
                if (n != null && n.path(field).isTextual()) {
                    key = n.path(field).asText();
                }
            } catch (IOException e) {
                return null;
            }
        }
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw ApiError.invalid("Idempotency-Key", "must be 1-255 visible ASCII characters");
        }
        return key;
    }

    private static ApiError reuse() {
        return ApiError.reason(
                409, "CONFLICT", "Idempotency-Key reused with a different request", "idempotency_key_reuse");
    }

    private EngineResponse withIdempotency(Exchange exchange, Chain next, String operatorId, String scopedKey) {
        EngineRequest req = exchange.request();
        String fingerprint = req.method() + " " + req.path() + " " + Hashes.sha256Hex(req.body());
        state.lock();
        try {
            Instant now = state.now();
            Instant first = store.firstUse.get(scopedKey);
            if (first != null && !now.isBefore(first.plus(TTL))) {
                store.responses.remove(scopedKey);
                store.firstUse.remove(scopedKey);
            }
            IdempotencyStore.Stored stored = store.responses.get(scopedKey);
            if (stored != null) {
                if (!stored.fingerprint().equals(fingerprint)) {
                    throw reuse();
                }
                String pt = req.header("x-passport-token");
                if (pt != null) {
                    replayGuard.check(operatorId, pt, req.requestId());
                }
                Map<String, String> h = new LinkedHashMap<>(stored.headers());
                h.put("Idempotency-Replayed", "true");
                return new EngineResponse(stored.status(), stored.body(), h);
            }
            if (store.inFlight.contains(scopedKey)) {
                if (!Objects.equals(store.inFlightFingerprints.get(scopedKey), fingerprint)) {
                    throw reuse();
                }
                throw new ApiError(
                        409,
                        "CONFLICT",
                        "A request with this Idempotency-Key is in progress",
                        Wire.reasonNode("idempotency_in_progress"),
                        Map.of("Retry-After", "1"));
            }
            store.inFlight.add(scopedKey);
            store.inFlightFingerprints.put(scopedKey, fingerprint);
            store.firstUse.putIfAbsent(scopedKey, now);
        } finally {
            state.unlock();
        }
        EngineResponse resp;
        try {
            try {
                resp = next.proceed(exchange);
            } catch (ApiError e) {
                resp = ErrorEnvelopeFilter.toResponse(e, req.requestId());
            }
        } finally {
            state.locked(() -> {
                store.inFlight.remove(scopedKey);
            });
        }
        int st = resp.status();
        if (st < 500 && st != 401 && st != 409 && st != 429 && exchange.attribute(Unstored.class) == null) {
            EngineResponse r = resp;
            state.locked(() -> {
                store.responses.put(
                        scopedKey, new IdempotencyStore.Stored(fingerprint, st, r.body(), Map.copyOf(r.headers())));
            });
        }
        return resp;
    }
}
