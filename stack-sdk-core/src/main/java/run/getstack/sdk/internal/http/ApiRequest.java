package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;

/**
 * Internal, not for public use. One logical call to the control plane: method, path under the base URL, query,
 * optional JSON body (serialised once, so every retry sends the same bytes), extra headers, the passport to present
 * in {@code X-Passport-Token}, and the idempotency key. Immutable.
 */
public final class ApiRequest {
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte @Nullable [] body;
    private final Map<String, String> headers;
    private final @Nullable Secret passportToken;
    private final @Nullable String idempotencyKey;
    private final boolean authenticated;
    private final @Nullable Secret bearer;
    private final @Nullable Duration timeout;
    private final @Nullable String displayPath;
    private final @Nullable String contentType;
    private final @Nullable Consumer<Runnable> onCall;

    private ApiRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(b.query));
        JsonNode tree = b.body;
        this.body = tree != null ? Json.write(tree) : b.rawBody;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.passportToken = b.passportToken;
        this.idempotencyKey = b.idempotencyKey;
        this.authenticated = b.authenticated;
        this.bearer = b.bearer;
        this.timeout = b.timeout;
        this.displayPath = b.displayPath;
        this.contentType = b.contentType;
        this.onCall = b.onCall;
    }

    /**
     * Returns the body's media type when it is not JSON (a form-encoded OAuth token request).
     *
     * @return the media type, or null for JSON
     */
    public @Nullable String contentType() {
        return contentType;
    }

    /**
     * Returns who is handed each attempt's cancel action (see {@link Builder#onCall(Consumer)}).
     *
     * @return the consumer, or null
     */
    public @Nullable Consumer<Runnable> onCall() {
        return onCall;
    }

    /**
     * Returns this request's own time limit, replacing the client's call timeout, read timeout and retry budget
     * (maxElapsed) for it, e.g. for a long poll that the server holds open longer than those allow.
     *
     * @return the limit, or null to use the client's
     */
    public @Nullable Duration timeout() {
        return timeout;
    }

    /**
     * Starts a GET.
     *
     * @param path the path, starting with {@code /v1/}
     * @return a builder
     */
    public static Builder get(String path) {
        return new Builder("GET", path);
    }

    /**
     * Starts a POST with a JSON body.
     *
     * @param path the path
     * @param body the body
     * @return a builder
     */
    public static Builder post(String path, JsonNode body) {
        return new Builder("POST", path).body(body);
    }

    /**
     * Starts a DELETE.
     *
     * @param path the path
     * @return a builder
     */
    public static Builder delete(String path) {
        return new Builder("DELETE", path);
    }

    /**
     * Starts a request with any method.
     *
     * @param method the HTTP method
     * @param path the path
     * @return a builder
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /**
     * Returns the HTTP method, upper case.
     *
     * @return the HTTP method, upper case
     */
    public String method() {
        return method;
    }

    /**
     * Returns the path below the base URL.
     *
     * @return the path below the base URL
     */
    public String path() {
        return path;
    }

    /**
     * Returns the query parameters, in order.
     *
     * @return the query parameters, in order
     */
    public Map<String, String> query() {
        return query;
    }

    /**
     * Returns the serialised body, or null for none.
     *
     * @return the serialised body, or null for none
     */
    public byte @Nullable [] body() {
        return body;
    }

    /**
     * Returns the extra headers.
     *
     * @return the extra headers
     */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * Returns the passport sent as {@code X-Passport-Token}, or null.
     *
     * @return the passport sent as {@code X-Passport-Token}, or null
     */
    public @Nullable Secret passportToken() {
        return passportToken;
    }

    /**
     * Returns the idempotency key of this logical call, or null.
     *
     * @return the idempotency key of this logical call, or null
     */
    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * Returns whether the request carries {@code Authorization} (false for STACK's public endpoints).
     *
     * @return whether the request carries {@code Authorization} (false for STACK's public endpoints)
     */
    public boolean authenticated() {
        return authenticated;
    }

    /**
     * Returns the bearer token for this request instead of the client's, or null.
     *
     * @return the bearer token for this request instead of the client's, or null
     */
    public @Nullable Secret bearer() {
        return bearer;
    }

    /**
     * Returns whether the method is idempotent by definition (GET, HEAD, PUT, DELETE, OPTIONS).
     *
     * @return whether the method is idempotent by definition (GET, HEAD, PUT, DELETE, OPTIONS)
     */
    public boolean idempotentMethod() {
        return IDEMPOTENT_METHODS.contains(method);
    }

    /**
     * Returns whether the call may be repeated: an idempotent method, or an idempotency key.
     *
     * @return whether the call may be repeated: an idempotent method, or an idempotency key
     */
    public boolean retryable() {
        return idempotentMethod() || idempotencyKey != null;
    }

    /**
     * Returns method and path for messages and logs: the display path when one was set (a path holding a secret, such
     * as a raw lease id), else the path.
     */
    @Override
    public String toString() {
        return method + " " + (displayPath != null ? displayPath : path);
    }

    /** The longest per-request {@link Builder#timeout(Duration) timeout}. */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Internal, not for public use. Builds an {@link ApiRequest}. */
    public static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private @Nullable JsonNode body;
        private byte @Nullable [] rawBody;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private @Nullable Secret passportToken;
        private @Nullable String idempotencyKey;
        private boolean authenticated = true;
        private @Nullable Secret bearer;
        private @Nullable Duration timeout;
        private @Nullable String displayPath;
        private @Nullable String contentType;
        private @Nullable Consumer<Runnable> onCall;

        private Builder(String method, String path) {
            this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
            Objects.requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/': " + path);
            }
            this.path = path;
        }

        /**
         * Sets the JSON body.
         *
         * @param body the body
         * @return this builder
         */
        public Builder body(JsonNode body) {
            this.body = Objects.requireNonNull(body, "body");
            this.contentType = null;
            return this;
        }

        /**
         * Sets a JSON body the caller has already serialised (the audit writer's batches, built from spooled bytes);
         * sent as is, the same bytes on every attempt.
         *
         * @param json UTF-8 JSON; the request keeps this array, so do not change it afterwards
         * @return this builder
         */
        public Builder jsonBytes(byte[] json) {
            this.rawBody = Objects.requireNonNull(json, "json");
            this.body = null;
            this.contentType = null;
            return this;
        }

        /**
         * Sets an {@code application/x-www-form-urlencoded} body (RFC 6749's token requests), encoded once. The values
         * may be secrets (a refresh token): {@link ApiRequest#toString()} never shows the body.
         *
         * @param fields the names and values, in order
         * @return this builder
         */
        public Builder formBody(Map<String, String> fields) {
            Objects.requireNonNull(fields, "fields");
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> f : fields.entrySet()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(java.net.URLEncoder.encode(f.getKey(), java.nio.charset.StandardCharsets.UTF_8))
                        .append('=')
                        .append(java.net.URLEncoder.encode(f.getValue(), java.nio.charset.StandardCharsets.UTF_8));
            }
            this.rawBody = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            this.body = null;
            this.contentType = "application/x-www-form-urlencoded";
            return this;
        }

        /**
         * Adds a query parameter (skipped when the value is null).
         *
         * @param name the name
         * @param value the value, or null to skip
         * @return this builder
         */
        public Builder query(String name, @Nullable String value) {
            if (value != null) {
                query.put(Objects.requireNonNull(name, "name"), value);
            }
            return this;
        }

        /**
         * Adds a header.
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
         * Presents a passport in {@code X-Passport-Token}.
         *
         * @param token the passport JWT
         * @return this builder
         */
        public Builder passportToken(Secret token) {
            this.passportToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Gives this logical call a fresh {@code Idempotency-Key} (a random UUID), making a POST retryable. The same
         * key is sent on every attempt.
         *
         * @return this builder
         */
        public Builder idempotent() {
            this.idempotencyKey = UUID.randomUUID().toString();
            return this;
        }

        /**
         * Uses the caller's idempotency key.
         *
         * @param key 1 to 255 visible ASCII characters
         * @return this builder
         */
        public Builder idempotencyKey(String key) {
            Objects.requireNonNull(key, "idempotencyKey");
            if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
                throw new IllegalArgumentException("idempotencyKey: must be 1 to 255 visible ASCII characters");
            }
            this.idempotencyKey = key;
            return this;
        }

        /**
         * Sends no {@code Authorization} header (STACK's public endpoints).
         *
         * @return this builder
         */
        public Builder unauthenticated() {
            this.authenticated = false;
            return this;
        }

        /**
         * Sends this token instead of the client's own (agent enrollment authenticates with the operator key even
         * when the client otherwise signs agent JWTs).
         *
         * @param token the bearer token
         * @return this builder
         */
        public Builder bearer(Secret token) {
            this.bearer = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Gives this request its own time limit: it replaces the client's call timeout, read timeout and retry
         * budget (maxElapsed) for this request only (all attempts together stay within it).
         *
         * @param limit the limit, positive and at most 10 minutes
         * @return this builder
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero() || limit.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "timeout: must be positive and at most " + MAX_TIMEOUT + ": " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /**
         * Sets the path shown in exception messages and logs instead of the real one, for a path that holds a secret
         * (a raw lease id): the transport names the request by {@link ApiRequest#toString()}.
         *
         * @param displayPath the printable path, e.g. {@code /v1/leases/{1df5a053}/renew}
         * @return this builder
         */
        public Builder displayPath(String displayPath) {
            this.displayPath = Objects.requireNonNull(displayPath, "displayPath");
            return this;
        }

        /**
         * Hands each attempt's cancel action to {@code onCall} before the attempt is sent, so a caller can end a
         * request that an interrupt does not wake (a long poll parked in a socket read) from another thread.
         *
         * @param onCall receives the cancel action of each attempt
         * @return this builder
         */
        public Builder onCall(Consumer<Runnable> onCall) {
            this.onCall = Objects.requireNonNull(onCall, "onCall");
            return this;
        }

        /**
         * Builds the request, serialising the body once.
         *
         * @return the request
         */
        public ApiRequest build() {
            return new ApiRequest(this);
        }
    }
}
