package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. What the engine answers: status, JSON body text (null for 204) and headers.
 *
 * @param status HTTP status
 * @param body JSON text, or null
 * @param headers extra headers
 */
public record EngineResponse(int status, @Nullable String body, Map<String, String> headers) {
    /**
     * A JSON response.
     *
     * @param status status
     * @param body body
     * @return the response
     */
    public static EngineResponse json(int status, JsonNode body) {
        return new EngineResponse(status, Json.write(body), new LinkedHashMap<>());
    }

    /**
     * A JSON response with {@code Cache-Control: no-store}.
     *
     * @param status status
     * @param body body
     * @return the response
     */
    public static EngineResponse secret(int status, JsonNode body) {
        EngineResponse r = json(status, body);
        r.headers.put("Cache-Control", "no-store");
        return r;
    }

    /**
     * An empty 204.
     *
     * @return the response
     */
    public static EngineResponse noContent() {
        return new EngineResponse(204, null, new LinkedHashMap<>());
    }
}
