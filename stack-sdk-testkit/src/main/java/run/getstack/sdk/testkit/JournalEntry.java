package run.getstack.sdk.testkit;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request the fake received. Secrets are never kept in headers: {@code Authorization} is replaced by its
 * scheme and a fingerprint, {@code X-Passport-Token} by the passport's jti; lease ids in paths are fingerprinted.
 * {@link #toString()} omits the body.
 *
 * @param at arrival time on the fake's clock
 * @param method HTTP method
 * @param path request path (lease ids replaced by {@code lse:<fingerprint>})
 * @param query raw query string, or empty
 * @param requestId the {@code X-Request-Id} the fake answered with
 * @param idempotencyKey the {@code Idempotency-Key} sent, or null
 * @param passportJti the jti of the passport presented in {@code X-Passport-Token}, or null
 * @param headers sanitized request headers, names lower-cased
 * @param body the request body as UTF-8 text (may contain seeded credentials; not shown by toString)
 * @param status the response status, or 0 when the connection was dropped before a response
 * @param fault the fault kind applied, or null
 */
public record JournalEntry(
        Instant at,
        String method,
        String path,
        String query,
        String requestId,
        @Nullable String idempotencyKey,
        @Nullable String passportJti,
        Map<String, String> headers,
        String body,
        int status,
        FaultRule.@Nullable Kind fault) {
    @Override
    public String toString() {
        return "JournalEntry[" + method + " " + path + (query.isEmpty() ? "" : "?" + query) + " -> " + status
                + (fault == null ? "" : " fault=" + fault) + (passportJti == null ? "" : " passport=" + passportJti)
                + " requestId=" + requestId + "]";
    }
}
