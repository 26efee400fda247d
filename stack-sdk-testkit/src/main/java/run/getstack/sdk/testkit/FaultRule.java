package run.getstack.sdk.testkit;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.time.TestClock;

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
        MALFORMED_BODY,
        /** Hold the request before it is processed until the test {@linkplain #release() releases} it. */
        HOLD,
        /**
         * Process the request, then advance the fake's {@code TestClock} before the response is stamped and sent: a
         * response that arrives late, its body older than its {@code Date}.
         */
        LATE_ARRIVAL
    }

    /** Longest real time a {@linkplain #hold() held} request waits before it is answered 503. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(60);

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
    private final Clock clock;
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch firstHeld = new CountDownLatch(1);
    private final AtomicInteger held = new AtomicInteger();

    FaultRule(String method, String pathPattern, Clock clock) {
        this.method = method;
        this.pathPattern = pathPattern;
        this.clock = clock;
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

    /**
     * Holds every matching request before the fake processes it (it is journalled when answered), until {@link #release()}; a
     * request not released within {@link #MAX_HOLD} is answered 503. Use it to keep a request in flight while the
     * test checks what other callers see, without sleeping:
     *
     * <pre>{@code
     * FaultRule gate = fake.faults().on("POST", "/v1/passports/refresh").hold();
     * // ... start callers ...
     * assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
     * // ... assert while the refresh is in flight ...
     * gate.release();
     * }</pre>
     *
     * @return this
     */
    public FaultRule hold() {
        return kind(Kind.HOLD, Duration.ZERO);
    }

    /**
     * Waits (real time) until at least one request is {@linkplain #hold() held} by this rule.
     *
     * @param timeout how long to wait at most
     * @return whether a request is or was held
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return firstHeld.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * How many requests this rule is holding right now.
     *
     * @return the count
     */
    public int heldCount() {
        return held.get();
    }

    /**
     * Lets every held request through (they are then processed normally) and ends the rule: later requests are not
     * affected. Idempotent; {@link Faults#clear()} and closing the fake release too.
     */
    public void release() {
        lock.lock();
        try {
            remaining = 0;
        } finally {
            lock.unlock();
        }
        released.countDown();
    }

    /** Blocks a held request until released; false if {@link #MAX_HOLD} passed or the thread was interrupted. */
    boolean awaitRelease() {
        held.incrementAndGet();
        firstHeld.countDown();
        try {
            return released.await(MAX_HOLD.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            held.decrementAndGet();
        }
    }

    /**
     * Processes the request, then moves the fake's clock forward by {@code age} before the response gets its {@code
     * Date} header and is sent: the answer arrives late, its body (e.g. a passport's {@code issued_at}) that much
     * older than its {@code Date}. Only with a {@link TestClock} (the fake's configured clock), which the client
     * under test should share.
     *
     * @param age positive, at most 24 h
     * @return this
     * @throws IllegalStateException if the fake's clock is not a {@link TestClock}
     */
    public FaultRule arriveLate(Duration age) {
        Objects.requireNonNull(age, "age");
        if (age.isZero() || age.isNegative() || age.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("age must be positive and at most 24 h: " + age);
        }
        if (!(clock instanceof TestClock)) {
            throw new IllegalStateException("arriveLate needs the fake to run on a TestClock, not " + clock);
        }
        return kind(Kind.LATE_ARRIVAL, age);
    }

    /** Advances the test clock for a {@link Kind#LATE_ARRIVAL} fault. */
    void age(Duration age) {
        ((TestClock) clock).advance(age);
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
            return new Action(kind, status, code, retryAfter, delay, this);
        } finally {
            lock.unlock();
        }
    }

    record Action(
            Kind kind,
            int status,
            @Nullable String code,
            @Nullable Duration retryAfter,
            Duration delay,
            FaultRule rule) {}

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
