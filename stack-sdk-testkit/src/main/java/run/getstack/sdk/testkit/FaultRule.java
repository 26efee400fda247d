package run.getstack.sdk.testkit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One fault registered with {@link Faults#on(String, String)}: what to do to matching requests and how many times.
 * Configure it fluently right after creating it; it is live from creation, matches every request until its
 * {@linkplain #times(int) budget} is spent, and is thread-safe.
 */
public final class FaultRule {
    /** What a rule does. */
    public enum Kind {
        /** Answer with a status and STACK's error body; the request never reaches the fake's logic. */
        STATUS,
        /** Delay the response, then answer normally. */
        LATENCY,
        /** Close the connection before any response byte (the request is not processed). */
        DISCONNECT_BEFORE_RESPONSE,
        /** Process the request (side effects happen), then cut the connection in the middle of the body. */
        DISCONNECT_DURING_RESPONSE_BODY,
        /** Process the request, then send only the first half of the body with a truthful Content-Length. */
        TRUNCATED_BODY,
        /** Process the request, then replace the body with bytes that are not JSON. */
        MALFORMED_BODY
    }

    private final String method;
    private final String pathPattern;
    private final ReentrantLock lock = new ReentrantLock();
    private Kind kind = Kind.STATUS;
    private int status = 503;
    private @Nullable String code;
    private @Nullable Duration retryAfter;
    private Duration delay = Duration.ZERO;
    private int remaining = Integer.MAX_VALUE;
    private final AtomicInteger applied = new AtomicInteger();

    FaultRule(String method, String pathPattern) {
        this.method = method;
        this.pathPattern = pathPattern;
    }

    /**
     * Answer with this status and STACK's error envelope (code chosen from the status, e.g. 503 {@code
     * SERVICE_UNAVAILABLE}, 429 {@code RATE_LIMITED} with {@code Retry-After: 1} unless set).
     *
     * @param httpStatus 400–599
     * @return this
     */
    public FaultRule respondWith(int httpStatus) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("status must be 400-599: " + httpStatus);
        }
        lock.lock();
        try {
            kind = Kind.STATUS;
            status = httpStatus;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Answer with this status and a specific STACK error code.
     *
     * @param httpStatus 400–599
     * @param errorCode e.g. {@code PASSPORT_REVOKED}
     * @return this
     */
    public FaultRule respondWith(int httpStatus, String errorCode) {
        respondWith(httpStatus);
        Objects.requireNonNull(errorCode, "errorCode");
        lock.lock();
        try {
            code = errorCode;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Fail the next {@code n} matching requests with this status, then let requests through.
     *
     * @param n how many
     * @param httpStatus the status
     * @return this
     */
    public FaultRule failTimes(int n, int httpStatus) {
        return respondWith(httpStatus).times(n);
    }

    /**
     * Adds {@code Retry-After} (delta-seconds) to status faults.
     *
     * @param after the value; whole seconds, not negative
     * @return this
     */
    public FaultRule withRetryAfter(Duration after) {
        Objects.requireNonNull(after, "retryAfter");
        if (after.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative");
        }
        lock.lock();
        try {
            retryAfter = after;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Delays the response by a real (wall-clock) amount, then answers normally. Keep it small.
     *
     * @param latency at most 10 s
     * @return this
     */
    public FaultRule delay(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative() || latency.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("latency must be 0-10 s: " + latency);
        }
        return kind(Kind.LATENCY, latency);
    }

    /**
     * Closes the connection without answering; the fake does not process the request.
     *
     * @return this
     */
    public FaultRule disconnectBeforeResponse() {
        return kind(Kind.DISCONNECT_BEFORE_RESPONSE, Duration.ZERO);
    }

    /**
     * Processes the request, then cuts the connection mid-body (the classic "did it happen?" case).
     *
     * @return this
     */
    public FaultRule disconnectDuringResponseBody() {
        return kind(Kind.DISCONNECT_DURING_RESPONSE_BODY, Duration.ZERO);
    }

    /**
     * Processes the request, then sends a body cut in half (valid HTTP, invalid JSON).
     *
     * @return this
     */
    public FaultRule truncateBody() {
        return kind(Kind.TRUNCATED_BODY, Duration.ZERO);
    }

    /**
     * Processes the request, then sends a body that is not JSON.
     *
     * @return this
     */
    public FaultRule malformedBody() {
        return kind(Kind.MALFORMED_BODY, Duration.ZERO);
    }

    private FaultRule kind(Kind k, Duration d) {
        lock.lock();
        try {
            kind = k;
            delay = d;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * Limits the rule to the next {@code n} matching requests.
     *
     * @param n at least 1
     * @return this
     */
    public FaultRule times(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("times must be >= 1: " + n);
        }
        lock.lock();
        try {
            remaining = n;
        } finally {
            lock.unlock();
        }
        return this;
    }

    /**
     * How many requests this rule has affected.
     *
     * @return the count
     */
    public int appliedCount() {
        return applied.get();
    }

    /**
     * Whether the rule still matches requests.
     *
     * @return true until its budget is spent
     */
    public boolean isActive() {
        lock.lock();
        try {
            return remaining > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Claims one use if the request matches; returns a snapshot of the rule's action, or null. */
    @Nullable
    Action claim(String reqMethod, String path) {
        if (!method.equals("*") && !method.equals(reqMethod.toUpperCase(Locale.ROOT))) {
            return null;
        }
        if (!PathPattern.matches(pathPattern, path)) {
            return null;
        }
        lock.lock();
        try {
            if (remaining <= 0) {
                return null;
            }
            if (remaining != Integer.MAX_VALUE) {
                remaining--;
            }
            applied.incrementAndGet();
            return new Action(kind, status, code, retryAfter, delay);
        } finally {
            lock.unlock();
        }
    }

    record Action(
            Kind kind,
            int status,
            @Nullable String code,
            @Nullable Duration retryAfter,
            Duration delay) {}

    @Override
    public String toString() {
        lock.lock();
        try {
            return "FaultRule[" + method + " " + pathPattern + " " + kind
                    + (kind == Kind.STATUS ? " " + status : "")
                    + (remaining == Integer.MAX_VALUE ? "" : " remaining=" + remaining) + "]";
        } finally {
            lock.unlock();
        }
    }
}
