package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. A STACK error response: HTTP status, code, message, optional details. */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient @Nullable ObjectNode details;
    private final transient Map<String, String> headers;

    /**
     * Creates an error.
     *
     * @param status HTTP status
     * @param code STACK error code
     * @param message human text (never a secret)
     * @param details optional details object
     */
    public ApiError(int status, String code, String message, @Nullable ObjectNode details) {
        this(status, code, message, details, Map.of());
    }

    /**
     * Creates an error with extra response headers.
     *
     * @param status HTTP status
     * @param code STACK error code
     * @param message human text (never a secret)
     * @param details optional details object
     * @param headers extra response headers
     */
    public ApiError(
            int status, String code, String message, @Nullable ObjectNode details, Map<String, String> headers) {
        super(code + ": " + message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
        this.headers = Map.copyOf(headers);
    }

    /**
     * An error whose details are {@code {"reason": reason}}.
     *
     * @param status HTTP status
     * @param code code
     * @param message message
     * @param reason details.reason
     * @return the error
     */
    public static ApiError reason(int status, String code, String message, String reason) {
        ObjectNode d = Json.object();
        d.put("reason", reason);
        return new ApiError(status, code, message, d);
    }

    /**
     * 400 INVALID_REQUEST naming one bad field.
     *
     * @param path dotted field path
     * @param message what is wrong
     * @return the error
     */
    public static ApiError invalid(String path, String message) {
        ObjectNode d = Json.object();
        ObjectNode issue = d.putArray("issues").addObject();
        issue.put("path", path);
        issue.put("message", message);
        return new ApiError(400, "INVALID_REQUEST", "Invalid request: " + path + ": " + message, d);
    }

    /**
     * 404 NOT_FOUND.
     *
     * @param what the kind of object
     * @return the error
     */
    public static ApiError notFound(String what) {
        return new ApiError(404, "NOT_FOUND", what + " not found", null);
    }

    /**
     * HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * STACK code.
     *
     * @return the code
     */
    public String code() {
        return code;
    }

    /**
     * Details, or null.
     *
     * @return details
     */
    public @Nullable ObjectNode details() {
        return details;
    }

    /**
     * Extra response headers.
     *
     * @return headers
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The error envelope body.
     *
     * @param requestId the request id to include
     * @return {@code {"error":{...}}}
     */
    public ObjectNode toBody(String requestId) {
        return envelope(code, getMessageText(), details, requestId);
    }

    /**
     * The human message without the code prefix.
     *
     * @return the message
     */
    public String messageText() {
        return getMessageText();
    }

    private String getMessageText() {
        String m = getMessage();
        return m == null ? code : m.substring(code.length() + 2);
    }

    /**
     * Builds an error envelope.
     *
     * @param code code
     * @param message message
     * @param details details or null
     * @param requestId request id
     * @return the body
     */
    public static ObjectNode envelope(String code, String message, @Nullable ObjectNode details, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode e = root.putObject("error");
        e.put("message", message);
        e.put("code", code);
        if (details != null) {
            e.set("details", details);
        }
        e.put("request_id", requestId);
        return root;
    }
}
