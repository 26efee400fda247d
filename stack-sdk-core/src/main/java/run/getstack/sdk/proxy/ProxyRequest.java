package run.getstack.sdk.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One call for STACK's proxy (STACK's {@code ProxyRequestInput}): the service whose credential is injected, the
 * method, the absolute URL (which may contain STACK's {@code {{instance_url}}} and {@code {{account_id}}}
 * placeholders), headers, query and a JSON body. Immutable; build with {@link #builder(String, String, String)}.
 */
public final class ProxyRequest {
    /** The methods STACK's proxy accepts. */
    public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** Longest URL accepted: {@value} characters. */
    public static final int MAX_URL_LENGTH = 8192;

    private final String service;
    private final String method;
    private final String url;
    private final Map<String, String> headers;
    private final Map<String, String> query;
    private final @Nullable String jsonBody;
    private final @Nullable String authorityRequestId;
    private final @Nullable String approvalId;

    private ProxyRequest(Builder b) {
        this.service = b.service;
        this.method = b.method;
        this.url = b.url;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
        this.jsonBody = b.jsonBody;
        this.authorityRequestId = b.authorityRequestId;
        this.approvalId = b.approvalId;
    }

    /**
     * Starts a request.
     *
     * @param service the provider slug, e.g. {@code slack}
     * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE}
     * @param url the absolute {@code http(s)://} URL, or one starting with a STACK placeholder ({@code {{...}}})
     * @return the builder
     */
    public static Builder builder(String service, String method, String url) {
        return new Builder(service, method, url);
    }

    /**
     * Returns the service.
     *
     * @return the provider slug
     */
    public String service() {
        return service;
    }

    /**
     * Returns the method.
     *
     * @return the upper-case method
     */
    public String method() {
        return method;
    }

    /**
     * Returns the URL.
     *
     * @return the URL
     */
    public String url() {
        return url;
    }

    /**
     * Returns the headers sent to the upstream (STACK's injected authorization overrides them).
     *
     * @return the headers
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the query parameters appended to the URL.
     *
     * @return the query
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns the JSON body, as JSON text.
     *
     * @return the body, or null for none
     */
    public @Nullable String jsonBody() {
        return jsonBody;
    }

    /**
     * Returns the caller's {@code authority_request_id}.
     *
     * @return the id, or null to let the SDK generate one per call
     */
    public @Nullable String authorityRequestId() {
        return authorityRequestId;
    }

    /**
     * Returns the intent approval this call is sent with ({@code approval_id}): an enforced agent needs one approved
     * for the call's service and method ({@code docs/wire-protocol.md} §14.3).
     *
     * @return the {@code ia_…} id, or null
     */
    public @Nullable String approvalId() {
        return approvalId;
    }

    /**
     * Returns a copy of this request sent with an approved intent; everything else, the {@code authorityRequestId}
     * included, stays the same.
     *
     * @param approvalId the {@code ia_…} id of an approved intent for this call
     * @return the copy
     * @throws IllegalArgumentException if it is not an id
     */
    public ProxyRequest withApprovalId(String approvalId) {
        Builder b = new Builder(service, method, url);
        b.headers.putAll(headers);
        b.query.putAll(query);
        b.jsonBody = jsonBody;
        b.authorityRequestId = authorityRequestId;
        return b.approvalId(approvalId).build();
    }

    /**
     * Shows the service, method and URL without query or headers (which may carry personal data).
     *
     * @return a description
     */
    @Override
    public String toString() {
        int q = url.indexOf('?');
        return "ProxyRequest{" + service + " " + method + " " + (q < 0 ? url : url.substring(0, q)) + '}';
    }

    /** Builds a {@link ProxyRequest}. Not thread-safe. */
    public static final class Builder {
        private final String service;
        private final String method;
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> query = new LinkedHashMap<>();
        private @Nullable String jsonBody;
        private @Nullable String authorityRequestId;
        private @Nullable String approvalId;

        private Builder(String service, String method, String url) {
            this.service = Objects.requireNonNull(service, "service");
            if (service.isEmpty() || service.length() > 128 || !service.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("service: must be 1 to 128 characters of [A-Za-z0-9_.-]");
            }
            String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            if (!METHODS.contains(m)) {
                throw new IllegalArgumentException("method: must be one of " + METHODS + ", was " + method);
            }
            this.method = m;
            this.url = Objects.requireNonNull(url, "url");
            String lower = url.toLowerCase(Locale.ROOT);
            if (url.length() > MAX_URL_LENGTH
                    || !(lower.startsWith("https://") || lower.startsWith("http://") || url.startsWith("{{"))) {
                throw new IllegalArgumentException(
                        "url: must be an absolute http(s) URL (or start with a {{placeholder}}) of at most "
                                + MAX_URL_LENGTH + " characters");
            }
        }

        /**
         * Adds a header for the upstream.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Adds a query parameter.
         *
         * @param name the name
         * @param value the value
         * @return this builder
         */
        public Builder query(String name, String value) {
            query.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Sets the JSON body (checked to be JSON when the call is sent).
         *
         * @param json JSON text
         * @return this builder
         */
        public Builder jsonBody(String json) {
            this.jsonBody = Objects.requireNonNull(json, "json");
            return this;
        }

        /**
         * Sets the {@code authority_request_id}: one id names one operation. Resending the same request under the
         * same id runs it once; a different request under the same id is refused by STACK as a conflict. Without
         * it the SDK generates one per call.
         *
         * @param id 1 to 255 visible ASCII characters
         * @return this builder
         */
        public Builder authorityRequestId(String id) {
            Objects.requireNonNull(id, "authorityRequestId");
            if (id.isEmpty() || id.length() > 255 || !id.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
                throw new IllegalArgumentException("authorityRequestId: must be 1 to 255 visible ASCII characters");
            }
            this.authorityRequestId = id;
            return this;
        }

        /**
         * Sends the call with an approved intent ({@code approval_id}), which it uses up: an enforced agent's call
         * needs one approved for this service and method ({@code docs/wire-protocol.md} §14.3).
         *
         * @param approvalId the {@code ia_…} id
         * @return this builder
         * @throws IllegalArgumentException if it is not 1 to 128 characters of {@code [A-Za-z0-9_-]}
         */
        public Builder approvalId(String approvalId) {
            Objects.requireNonNull(approvalId, "approvalId");
            if (!approvalId.matches("[A-Za-z0-9_-]{1,128}")) {
                throw new IllegalArgumentException("approvalId: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.approvalId = approvalId;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public ProxyRequest build() {
            return new ProxyRequest(this);
        }
    }
}
