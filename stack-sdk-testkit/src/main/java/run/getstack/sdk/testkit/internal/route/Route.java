package run.getstack.sdk.testkit.internal.route;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.FakeRoute;
import run.getstack.sdk.testkit.RouteOrigin;

/**
 * Internal, not for public use. One entry of the route table: method, path pattern ({@code {name}} segments are
 * parameters), who may call it, where it comes from, whether its handler runs under the state lock, and the handler.
 *
 * <pre>{@code
 * Route.post("/v1/leases/{id}/renew")
 *         .origin(RouteOrigin.EXTENSION)
 *         .access(Access.operator(MemberRole.STANDARD).orAgent(this::ownLease))
 *         .handler(this::renew);
 * }</pre>
 */
public final class Route {
    /** Whether the pipeline holds the state lock around the handler. */
    public enum Locking {
        /** The handler runs under the state lock (the default). */
        STATE,
        /** The handler takes the lock itself, around state only: it waits or does I/O (feed, proxy). */
        SELF
    }

    private final String method;
    private final String pattern;
    private final List<String> segments;
    private final RouteOrigin origin;
    private final Access access;
    private final Locking locking;
    private final @Nullable String idempotencyField;
    private final Handler handler;

    private Route(Builder b, Handler handler) {
        this.method = b.method;
        this.pattern = b.pattern;
        this.segments = List.of(b.pattern.substring(1).split("/", -1));
        this.origin = Objects.requireNonNull(b.origin, () -> "route " + b.method + " " + b.pattern + " has no origin");
        this.access = Objects.requireNonNull(b.access, () -> "route " + b.method + " " + b.pattern + " has no access");
        this.locking = b.locking;
        this.idempotencyField = b.idempotencyField;
        this.handler = handler;
    }

    /**
     * Starts a GET route.
     *
     * @param pattern path pattern
     * @return the builder
     */
    public static Builder get(String pattern) {
        return new Builder("GET", pattern);
    }

    /**
     * Starts a POST route.
     *
     * @param pattern path pattern
     * @return the builder
     */
    public static Builder post(String pattern) {
        return new Builder("POST", pattern);
    }

    /**
     * Starts a PATCH route.
     *
     * @param pattern path pattern
     * @return the builder
     */
    public static Builder patch(String pattern) {
        return new Builder("PATCH", pattern);
    }

    /**
     * Starts a DELETE route.
     *
     * @param pattern path pattern
     * @return the builder
     */
    public static Builder delete(String pattern) {
        return new Builder("DELETE", pattern);
    }

    /**
     * HTTP method.
     *
     * @return upper case
     */
    public String method() {
        return method;
    }

    /**
     * Path pattern.
     *
     * @return e.g. {@code /v1/agents/{id}}
     */
    public String pattern() {
        return pattern;
    }

    /**
     * The pattern's segments.
     *
     * @return segments without the leading slash
     */
    List<String> segments() {
        return segments;
    }

    /**
     * The pattern with parameter names erased, so {@code {id}} and {@code {jti}} clash.
     *
     * @return method and shape
     */
    String shape() {
        StringBuilder sb = new StringBuilder(method).append(' ');
        for (String s : segments) {
            sb.append('/').append(isParam(s) ? "{}" : s);
        }
        return sb.toString();
    }

    static boolean isParam(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /**
     * Where the route comes from.
     *
     * @return the origin
     */
    public RouteOrigin origin() {
        return origin;
    }

    /**
     * Who may call it.
     *
     * @return the access
     */
    public Access access() {
        return access;
    }

    /**
     * Whether the pipeline holds the state lock around the handler.
     *
     * @return the locking
     */
    public Locking locking() {
        return locking;
    }

    /**
     * A body field that acts as the idempotency key when no {@code Idempotency-Key} header is sent (wire protocol
     * §1.8: the proxy's {@code authority_request_id}).
     *
     * @return the field, or null
     */
    public @Nullable String idempotencyField() {
        return idempotencyField;
    }

    /**
     * The handler.
     *
     * @return the handler
     */
    public Handler handler() {
        return handler;
    }

    /**
     * The public description.
     *
     * @return method, pattern, origin
     */
    public FakeRoute describe() {
        return new FakeRoute(method, pattern, origin);
    }

    @Override
    public String toString() {
        return method + " " + pattern + " [" + origin + "; " + access + "]";
    }

    /** Builds a {@link Route}; origin and access are required. */
    public static final class Builder {
        private final String method;
        private final String pattern;
        private @Nullable RouteOrigin origin;
        private @Nullable Access access;
        private Locking locking = Locking.STATE;
        private @Nullable String idempotencyField;

        private Builder(String method, String pattern) {
            if (!pattern.startsWith("/v1/") || pattern.endsWith("/")) {
                throw new IllegalArgumentException("route pattern must start with /v1/ and not end with /: " + pattern);
            }
            this.method = method.toUpperCase(Locale.ROOT);
            this.pattern = pattern;
        }

        /**
         * Where the route comes from ({@code docs/wire-protocol.md}'s marker).
         *
         * @param origin the origin
         * @return this
         */
        public Builder origin(RouteOrigin origin) {
            this.origin = origin;
            return this;
        }

        /**
         * Who may call it.
         *
         * @param access the access
         * @return this
         */
        public Builder access(Access access) {
            this.access = access;
            return this;
        }

        /**
         * The handler takes the state lock itself (it waits or does I/O outside it).
         *
         * @return this
         */
        public Builder locksItself() {
            this.locking = Locking.SELF;
            return this;
        }

        /**
         * A body field that stands in for a missing {@code Idempotency-Key} header.
         *
         * @param field the field
         * @return this
         */
        public Builder idempotencyField(String field) {
            this.idempotencyField = field;
            return this;
        }

        /**
         * Finishes the route.
         *
         * @param handler the handler
         * @return the route
         */
        public Route handler(Handler handler) {
            return new Route(this, Objects.requireNonNull(handler, "handler"));
        }
    }
}
