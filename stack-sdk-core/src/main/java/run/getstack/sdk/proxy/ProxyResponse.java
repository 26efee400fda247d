package run.getstack.sdk.proxy;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The upstream's answer relayed by STACK's proxy, whatever its status (wire protocol §6): status, headers (names
 * lower-case) and body as STACK encoded it ({@link #bodyEncoding()}). Immutable.
 */
public final class ProxyResponse {
    /** How STACK encoded the body. */
    public enum BodyEncoding {
        /** The upstream sent JSON; {@link #bodyText()} is the JSON text. */
        JSON,
        /** The upstream sent UTF-8 text (or nothing: then the body is null). */
        TEXT,
        /** The upstream sent bytes that are not UTF-8; {@link #bodyBytes()} has them. */
        BASE64
    }

    private final int status;
    private final Map<String, String> headers;
    private final BodyEncoding bodyEncoding;
    private final @Nullable String bodyText;
    private final byte[] bodyBytes;
    private final String authorityRequestId;

    /**
     * Creates a response.
     *
     * @param status the upstream status
     * @param headers the upstream headers, names lower-case
     * @param bodyEncoding how STACK encoded the body
     * @param bodyText the body as text (JSON text for {@code JSON}), or null for none or bytes
     * @param bodyBytes the body bytes (UTF-8 of the text, or the decoded base64)
     * @param authorityRequestId the id the call was sent under
     */
    public ProxyResponse(
            int status,
            Map<String, String> headers,
            BodyEncoding bodyEncoding,
            @Nullable String bodyText,
            byte[] bodyBytes,
            String authorityRequestId) {
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.bodyEncoding = Objects.requireNonNull(bodyEncoding, "bodyEncoding");
        this.bodyText = bodyText;
        this.bodyBytes = bodyBytes.clone();
        this.authorityRequestId = Objects.requireNonNull(authorityRequestId, "authorityRequestId");
    }

    /**
     * Returns the upstream's HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the upstream's headers (hop-by-hop headers and {@code set-cookie} removed by STACK).
     *
     * @return lower-case name to value
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns one header.
     *
     * @param name the name, any case
     * @return the value or null
     */
    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Returns how STACK encoded the body.
     *
     * @return the encoding
     */
    public BodyEncoding bodyEncoding() {
        return bodyEncoding;
    }

    /**
     * Returns the body as text: the JSON text for {@link BodyEncoding#JSON}, the string for {@link
     * BodyEncoding#TEXT}.
     *
     * @return the text, or null when the body was empty or is bytes
     */
    public @Nullable String bodyText() {
        return bodyText;
    }

    /**
     * Returns the body's bytes.
     *
     * @return a copy of the bytes (empty when there is no body)
     */
    public byte[] bodyBytes() {
        return bodyBytes.clone();
    }

    /**
     * Returns the {@code authority_request_id} the call was sent under.
     *
     * @return the id
     */
    public String authorityRequestId() {
        return authorityRequestId;
    }

    /**
     * Shows status, encoding and size, not the body.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "ProxyResponse{status=" + status + ", bodyEncoding=" + bodyEncoding + ", bytes=" + bodyBytes.length
                + ", authorityRequestId=" + authorityRequestId + '}';
    }
}
