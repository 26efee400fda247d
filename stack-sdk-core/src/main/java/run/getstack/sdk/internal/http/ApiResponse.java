package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. A successful (2xx) response: status, parsed JSON body ({@code null} for 204), the
 * server's request id, its {@code Date} header and when the response was received, on the client's clock.
 */
public final class ApiResponse {
    private final int status;
    private final @Nullable JsonNode body;
    private final @Nullable String requestId;
    private final @Nullable Instant serverDate;
    private final Instant receivedAt;

    ApiResponse(
            int status,
            @Nullable JsonNode body,
            @Nullable String requestId,
            @Nullable Instant serverDate,
            Instant receivedAt) {
        this.status = status;
        this.body = body;
        this.requestId = requestId;
        this.serverDate = serverDate;
        this.receivedAt = receivedAt;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the body, or null for an empty (204) response */
    public @Nullable JsonNode body() {
        return body;
    }

    /**
     * Returns the body, which must be a JSON object.
     *
     * @return the body object
     * @throws ResponseShapeException if the body is absent or not an object
     */
    public JsonNode requireObject() {
        JsonNode b = body;
        if (b == null || !b.isObject()) {
            throw new ResponseShapeException("response body is not a JSON object");
        }
        return b;
    }

    /** @return the request id from {@code X-Request-Id}, or null */
    public @Nullable String requestId() {
        return requestId;
    }

    /** @return the server's {@code Date}, if it sent a valid one */
    public Optional<Instant> serverDate() {
        return Optional.ofNullable(serverDate);
    }

    /** @return when the response headers arrived, on the client's clock */
    public Instant receivedAt() {
        return receivedAt;
    }
}
