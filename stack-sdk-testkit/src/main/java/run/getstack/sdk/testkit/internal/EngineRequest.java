package run.getstack.sdk.testkit.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. One HTTP request as the engine sees it.
 *
 * @param method HTTP method, upper case
 * @param path path without query
 * @param query decoded query parameters (first value of each)
 * @param headers request headers, names lower-cased (first value of each)
 * @param body the body bytes
 * @param requestId the request id assigned by the front
 */
@SuppressWarnings("ArrayRecordComponent")
public record EngineRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body,
        String requestId) {
    /**
     * A header value.
     *
     * @param name lower-case name
     * @return the value or null
     */
    public @Nullable String header(String name) {
        return headers.get(name);
    }
}
