package run.getstack.sdk.internal.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackCertificatePinningException;
import run.getstack.sdk.StackCircuitOpenException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.StackNetworkException;
import run.getstack.sdk.StackTimeoutException;
import run.getstack.sdk.StackVersion;

/**
 * Internal, not for public use. The one HTTP transport of a client: every resource sends its {@link ApiRequest}s
 * through {@link #execute(ApiRequest, Function)}.
 *
 * <p>Per logical call it generates one {@code X-Request-Id} ({@code req_} + 24 random characters) and reuses it,
 * the idempotency key and the body bytes on every attempt. Per attempt it asks the host's circuit breaker for
 * permission, sends {@code Authorization: Bearer} (a fresh token from the bearer source, so agent-signed JWTs are
 * new on every attempt), {@code User-Agent}, {@code Accept} and {@code X-Passport-Token}, reads the body up to
 * {@code maxResponseBytes} and maps the outcome.
 *
 * <p>Retries follow {@link RetryPolicy} (its javadoc has the rules). Resilience4j holds the retry decision (its
 * {@link RetryConfig}: attempt limit, result predicate, our full-jitter {@link IntervalBiFunction}) and the circuit
 * breakers; the wait itself is ours. Resilience4j 2.4.0's own wait does restore the interrupt flag, but it sleeps
 * through a JVM-global static function ({@code RetryImpl.setSleepFunction}), cannot be bounded by a call's remaining
 * budget or the server's {@code Retry-After}, and throws a bare {@code CancellationException} when interrupted after
 * a result-based retry; our wait goes through the injected {@link Sleeper}, is checked against the budget first, and
 * an interrupt ends the call with {@link StackInterruptedException} with the flag restored.
 */
public final class Transport {
    /** Where {@link #HIDE_RETRY_AFTER_FROM_OKHTTP} moves a 503's {@code Retry-After}. */
    static final String MOVED_RETRY_AFTER = "X-Stack-Sdk-Retry-After";

    /**
     * A network interceptor the client installs: OkHttp re-sends a request by itself (any method, a POST included)
     * when a 503 carries {@code Retry-After: 0}. This moves that header out of OkHttp's sight so the transport
     * alone decides about retries.
     */
    public static final Interceptor HIDE_RETRY_AFTER_FROM_OKHTTP = chain -> {
        Response r = chain.proceed(chain.request());
        String ra = r.header("Retry-After");
        if (r.code() == 503 && ra != null) {
            return r.newBuilder()
                    .removeHeader("Retry-After")
                    .header(MOVED_RETRY_AFTER, ra)
                    .build();
        }
        return r;
    };

    /**
     * A bearer source that can explain a rejection of its own token (agent-key mode: a {@code 401 bad_signature}
     * means the agent's key may have been replaced).
     */
    public interface ExplainingBearer extends Supplier<Secret> {
        /**
         * Returns the failure to throw for a 401 on a call authenticated with this source's token alone.
         *
         * @param e the mapped failure
         * @return {@code e} or a clearer failure of the same category
         */
        StackException explainRejection(run.getstack.sdk.StackApiException e);
    }

    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom ID_RANDOM = new SecureRandom();

    private final HttpUrl baseUrl;
    private final Supplier<Secret> bearer;
    private final OkHttpClient http;
    private final Clock clock;
    private final RetryPolicy retryPolicy;
    private final RetryConfig retryConfig;
    private final @Nullable CircuitBreakerConfig breakerConfig;
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final long maxResponseBytes;
    private final Sleeper sleeper;
    private final String userAgent;
    private final ErrorCodes errorCodes;

    /**
     * Creates a transport.
     *
     * @param baseUrl the control plane's base URL
     * @param bearer the bearer token for each attempt
     * @param http the configured OkHttp client (timeouts set, OkHttp retries and redirects off)
     * @param clock the client's clock
     * @param retryPolicy the retry policy
     * @param breakerPolicy the circuit breaker policy
     * @param maxResponseBytes the response body cap
     * @param sleeper how to wait between attempts
     * @param random uniform doubles in [0, 1) for the jitter
     * @param errorCodes the registry of error codes with a type of their own
     */
    public Transport(
            HttpUrl baseUrl,
            Supplier<Secret> bearer,
            OkHttpClient http,
            Clock clock,
            RetryPolicy retryPolicy,
            CircuitBreakerPolicy breakerPolicy,
            long maxResponseBytes,
            Sleeper sleeper,
            DoubleSupplier random,
            ErrorCodes errorCodes) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
        this.http = http;
        this.clock = clock;
        this.maxResponseBytes = maxResponseBytes;
        this.sleeper = sleeper;
        this.errorCodes = errorCodes;
        this.retryPolicy = retryPolicy;
        Predicate<Attempt> retryable = a -> a.retryableOutcome;
        this.retryConfig = RetryConfig.<Attempt>custom()
                .maxAttempts(retryPolicy.maxAttempts())
                .retryOnResult(retryable)
                .intervalBiFunction(fullJitter(retryPolicy, random))
                .build();
        this.breakerConfig = breakerPolicy.enabled()
                ? CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(breakerPolicy.slidingWindowSize())
                        .minimumNumberOfCalls(breakerPolicy.minimumNumberOfCalls())
                        .failureRateThreshold(breakerPolicy.failureRateThreshold())
                        .waitDurationInOpenState(breakerPolicy.waitInOpenState())
                        .permittedNumberOfCallsInHalfOpenState(breakerPolicy.permittedCallsInHalfOpenState())
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .clock(clock)
                        .build()
                : null;
        this.userAgent = "stack-sdk-java/" + StackVersion.get() + " (Java " + System.getProperty("java.version") + ")";
    }

    /**
     * Full jitter: before retry {@code n} (the attempt that failed was number {@code n}), a delay uniform in
     * {@code [0, min(maxDelay, baseDelay * 2^(n-1))]}, in milliseconds.
     *
     * @param policy the policy
     * @param random uniform doubles in [0, 1)
     * @return the interval function
     */
    public static IntervalBiFunction<Attempt> fullJitter(RetryPolicy policy, DoubleSupplier random) {
        long base = policy.baseDelay().toMillis();
        long cap = policy.maxDelay().toMillis();
        return (attempt, outcome) -> {
            int n = Math.max(1, attempt);
            long upper = n >= 31 ? cap : Math.min(cap, base << Math.min(n - 1, 30));
            double r = random.getAsDouble();
            if (!(r >= 0.0) || r >= 1.0) {
                r = 0.0;
            }
            return (long) Math.floor(r * (upper + 1));
        };
    }

    /**
     * Returns the {@code User-Agent} this transport sends.
     *
     * @return the user agent
     */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Returns the client's clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Sends a call and decodes the successful response.
     *
     * @param request the call
     * @param decoder turns the response into the result; may throw {@link ResponseShapeException}
     * @param <T> the result type
     * @return the result
     * @throws StackException on any failure, typed by category
     */
    public <T> T execute(ApiRequest request, Function<ApiResponse, T> decoder) {
        ApiResponse r = execute(request);
        try {
            return decoder.apply(r);
        } catch (ResponseShapeException e) {
            throw new StackMalformedResponseException(
                    "unexpected response shape: " + e.getMessage(), r.status(), r.requestId(), null);
        }
    }

    /**
     * Sends a call, retrying as {@link RetryPolicy} allows.
     *
     * @param request the call
     * @return the successful (2xx) response
     * @throws StackException on any failure, typed by category
     */
    public ApiResponse execute(ApiRequest request) {
        return Objects.requireNonNull(run(request, false).success);
    }

    /**
     * Sends a call whose successful response body is read as a stream (an audit export of tens of megabytes):
     * retries apply until a 2xx status arrives, exactly as for {@link #execute(ApiRequest)}; the body is then left
     * open for the caller, unread and not bounded by {@code maxResponseBytes}. Error responses are read and mapped
     * as usual.
     *
     * @param request the call
     * @return the open response; the caller must close it
     * @throws StackException on any failure before a 2xx status, typed by category
     */
    public StreamedResponse open(ApiRequest request) {
        return Objects.requireNonNull(run(request, true).stream);
    }

    private Attempt run(ApiRequest request, boolean stream) {
        String requestId = newRequestId();
        HttpUrl url = url(request);
        CircuitBreaker breaker = breakerFor(url);
        Duration own = request.timeout();
        Instant deadline = clock.instant().plus(own != null ? own : retryPolicy.maxElapsed());
        Predicate<Attempt> retryOnResult = retryConfig.getResultPredicate();
        IntervalBiFunction<Attempt> interval = retryConfig.getIntervalBiFunction();
        StackException last = null;
        for (int attempt = 1; ; attempt++) {
            // the budget bounds the attempt in progress too: it gets at most what remains of maxElapsed
            Duration budget = Duration.between(clock.instant(), deadline);
            if (last != null && (budget.isNegative() || budget.isZero())) {
                throw last;
            }
            Attempt a = attemptOnce(request, url, requestId, breaker, budget, stream);
            if (a.success != null || a.stream != null) {
                return a;
            }
            StackException failure = Objects.requireNonNull(a.failure);
            last = failure;
            if (!request.retryable() || !retryOnResult.test(a) || attempt >= retryConfig.getMaxAttempts()) {
                throw failure;
            }
            Duration wait = Duration.ofMillis(interval.apply(attempt, Either.right(a)));
            Duration retryAfter = a.retryAfter;
            if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
                wait = retryAfter;
            }
            Duration remaining = Duration.between(clock.instant(), deadline);
            if (wait.compareTo(remaining) > 0) {
                throw failure;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackInterruptedException(
                        "interrupted while waiting to retry " + request + " after: " + failure.detailMessage(),
                        requestId,
                        e);
            }
        }
    }

    private @Nullable CircuitBreaker breakerFor(HttpUrl url) {
        CircuitBreakerConfig cfg = breakerConfig;
        if (cfg == null) {
            return null;
        }
        String host = url.host() + ":" + url.port();
        return breakers.computeIfAbsent(host, h -> CircuitBreaker.of("stack-" + h, cfg));
    }

    /**
     * Returns the circuit breaker state for a host, for tests and health reporting.
     *
     * @param host the host
     * @param port the port
     * @return {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ... or {@code NONE} if no call went there yet
     */
    public String breakerState(String host, int port) {
        CircuitBreaker cb = breakers.get(host + ":" + port);
        return cb == null ? "NONE" : cb.getState().name();
    }

    private HttpUrl url(ApiRequest request) {
        HttpUrl.Builder b = baseUrl.newBuilder();
        String basePath = baseUrl.encodedPath();
        String path = request.path();
        if (basePath.endsWith("/")) {
            path = path.substring(1);
        }
        b.encodedPath(basePath + path);
        for (Map.Entry<String, String> q : request.query().entrySet()) {
            b.addQueryParameter(q.getKey(), q.getValue());
        }
        return b.build();
    }

    private Attempt attemptOnce(
            ApiRequest request,
            HttpUrl url,
            String requestId,
            @Nullable CircuitBreaker breaker,
            Duration budget,
            boolean stream) {
        if (breaker != null && !breaker.tryAcquirePermission()) {
            throw new StackCircuitOpenException(
                    "circuit breaker for " + url.host() + ":" + url.port() + " is open; " + request + " not sent",
                    requestId);
        }
        long startMs = clock.millis();
        boolean recorded = false;
        try {
            Attempt a = send(request, url, requestId, budget, stream);
            if (breaker != null) {
                long took = Math.max(0, clock.millis() - startMs);
                if (a.breakerFailure) {
                    breaker.onError(took, TimeUnit.MILLISECONDS, Objects.requireNonNull(a.failure));
                } else {
                    breaker.onSuccess(took, TimeUnit.MILLISECONDS);
                }
                recorded = true;
            }
            return a;
        } finally {
            if (breaker != null && !recorded) {
                breaker.releasePermission();
            }
        }
    }

    private Attempt send(ApiRequest request, HttpUrl url, String requestId, Duration budget, boolean stream) {
        Request.Builder rb = new Request.Builder()
                .url(url)
                .header("User-Agent", userAgent)
                .header("Accept", "application/json")
                .header("X-Request-Id", requestId);
        byte[] body = request.body();
        String ownType = request.contentType();
        RequestBody requestBody =
                body == null ? null : RequestBody.create(body, ownType != null ? MediaType.get(ownType) : JSON_TYPE);
        if (requestBody == null && "POST".equals(request.method())) {
            requestBody = RequestBody.create(new byte[0], JSON_TYPE);
        }
        rb.method(request.method(), requestBody);
        if (request.authenticated()) {
            Secret override = request.bearer();
            Secret token = override != null ? override : bearer.get();
            rb.header("Authorization", "Bearer " + token.revealPlaintext());
        }
        Secret passport = request.passportToken();
        if (passport != null) {
            rb.header("X-Passport-Token", headerValue("X-Passport-Token", passport.revealPlaintext()));
        }
        String key = request.idempotencyKey();
        if (key != null) {
            rb.header("Idempotency-Key", headerValue("Idempotency-Key", key));
        }
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            rb.header(h.getKey(), headerValue(h.getKey(), h.getValue()));
        }
        Duration own = request.timeout();
        OkHttpClient client = http;
        if (own != null && http.readTimeoutMillis() != 0 && own.toMillis() > http.readTimeoutMillis()) {
            // OkHttp's way to change the read timeout per call: a derived client sharing the pool and dispatcher
            client = http.newBuilder().readTimeout(own).build();
        }
        Call call = client.newCall(rb.build());
        Consumer<Runnable> onCall = request.onCall();
        if (onCall != null) {
            onCall.accept(call::cancel);
        }
        long callTimeoutMs = http.callTimeoutMillis();
        long budgetMs = Math.max(1, budget.toMillis());
        String callLimit;
        if (own != null) {
            // the request's own limit replaces callTimeout; what remains of it bounds each attempt (a stream too)
            call.timeout().timeout(stream ? own.toMillis() : budgetMs, TimeUnit.MILLISECONDS);
            callLimit = "the request's own timeout (" + own + ")";
        } else {
            // a streamed body is read after this returns: the retry budget must not cut it (reads stay bounded by
            // the read timeout and the whole call by callTimeout)
            boolean budgetBound = !stream && (callTimeoutMs == 0 || budgetMs < callTimeoutMs);
            if (budgetBound) {
                call.timeout().timeout(budgetMs, TimeUnit.MILLISECONDS);
            }
            callLimit = budgetBound ? "the retry budget (maxElapsed)" : "callTimeout";
        }
        Response response;
        try {
            response = call.execute();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StackInterruptedException("interrupted during " + request, requestId, e);
            }
            StackException permanent = notTransient(request, url, requestId, e);
            if (permanent != null) {
                return Attempt.failed(permanent, false, null, false);
            }
            return Attempt.failed(networkFailure(request, url, requestId, e, call, callLimit), true, null, true);
        }
        if (stream && response.isSuccessful()) {
            String headerRid = headerRequestId(response);
            return Attempt.ok(new StreamedResponse(
                    response, call, request, headerRid != null ? headerRid : requestId, clock.instant()));
        }
        try (Response r = response) {
            Instant receivedAt = clock.instant();
            String headerRid = headerRequestId(r);
            String rid = headerRid != null ? headerRid : requestId;
            int status = r.code();
            Duration retryAfter = RetryAfter.parse(retryAfterHeader(r), receivedAt);
            byte[] bytes = readBounded(r, call, status, rid, request, callLimit);
            if (status >= 200 && status <= 299) {
                if (status == 204 || bytes.length == 0) {
                    if (status != 204) {
                        return Attempt.failed(
                                new StackMalformedResponseException(
                                        "HTTP " + status + " response has an empty body", status, rid, null),
                                false,
                                null,
                                false);
                    }
                    return Attempt.ok(new ApiResponse(status, null, rid, serverDate(r), receivedAt));
                }
                String contentType = r.header("Content-Type");
                if (contentType != null && !isJson(contentType)) {
                    return Attempt.failed(
                            new StackMalformedResponseException(
                                    "HTTP " + status + " response is not JSON (Content-Type "
                                            + ErrorMapper.excerpt(contentType) + ")",
                                    status,
                                    rid,
                                    null),
                            false,
                            null,
                            false);
                }
                return Attempt.ok(
                        new ApiResponse(status, Json.parse(bytes, status, rid), rid, serverDate(r), receivedAt));
            }
            StackException failure = ErrorMapper.map(status, bytes, headerRid, requestId, retryAfter, errorCodes);
            if (status == 401
                    && request.authenticated()
                    && request.bearer() == null
                    && request.passportToken() == null // a 401 could then be about the passport
                    && bearer instanceof ExplainingBearer explaining
                    && failure instanceof run.getstack.sdk.StackApiException api) {
                failure = explaining.explainRejection(api);
            }
            String code = failure.errorCode();
            boolean upstream = code != null && code.startsWith("UPSTREAM_");
            boolean inProgress = failure instanceof run.getstack.sdk.StackApiException api
                    && "idempotency_in_progress".equals(api.reason());
            boolean retryableOutcome = switch (status) {
                case 429, 503 -> true;
                case 502, 504 -> !upstream;
                case 500 -> request.idempotentMethod();
                case 409 -> inProgress;
                default -> false;
            };
            boolean honourRetryAfter = status == 429 || status == 503 || (status == 409 && inProgress);
            boolean breakerFailure =
                    (status == 500 || status == 503 || ((status == 502 || status == 504) && !upstream));
            return Attempt.failed(failure, retryableOutcome, honourRetryAfter ? retryAfter : null, breakerFailure);
        } catch (StackMalformedResponseException | StackTimeoutException e) {
            // body over the cap, cut short, or too slow: the server answered, so not a breaker failure
            boolean timeout = e instanceof StackTimeoutException;
            return Attempt.failed(e, timeout, null, timeout);
        }
    }

    private static @Nullable String retryAfterHeader(Response r) {
        String v = r.header("Retry-After");
        return v != null ? v : r.header(MOVED_RETRY_AFTER);
    }

    private static boolean isJson(String contentType) {
        String ct = contentType.toLowerCase(Locale.ROOT).trim();
        return ct.startsWith("application/json") || (ct.startsWith("application/") && ct.contains("+json"));
    }

    /** The response's {@code X-Request-Id} when well-formed and not credential-like (a reflected key), else null. */
    private static @Nullable String headerRequestId(Response r) {
        return ErrorMapper.identifier(r.header("X-Request-Id"), ErrorMapper.REQUEST_ID);
    }

    private static @Nullable Instant serverDate(Response r) {
        String d = r.header("Date");
        if (d == null || d.length() > 64) {
            return null;
        }
        try {
            return ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Reads at most {@code maxResponseBytes}; more (declared or actual) cancels the call and fails. */
    private byte[] readBounded(
            Response r, Call call, int status, String requestId, ApiRequest request, String callLimit) {
        ResponseBody body = r.body();
        long declared = body.contentLength();
        if (declared > maxResponseBytes) {
            call.cancel();
            throw new StackMalformedResponseException(
                    "response body of " + declared + " bytes exceeds maxResponseBytes (" + maxResponseBytes + ")",
                    status,
                    requestId,
                    null);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        try {
            long total = 0;
            while (true) {
                long n = source.read(buffer, 8192);
                if (n == -1) {
                    break;
                }
                total += n;
                if (total > maxResponseBytes) {
                    call.cancel();
                    throw new StackMalformedResponseException(
                            "response body exceeds maxResponseBytes (" + maxResponseBytes + ")",
                            status,
                            requestId,
                            null);
                }
            }
            return buffer.readByteArray();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StackInterruptedException(
                        "interrupted while reading the response to " + request, requestId, e);
            }
            if (e instanceof InterruptedIOException) {
                StackException t = networkFailure(request, r.request().url(), requestId, e, call, callLimit);
                if (t instanceof StackTimeoutException timeout) {
                    throw timeout;
                }
            }
            throw new StackMalformedResponseException(
                    "response body was cut short (" + e.getClass().getSimpleName() + ")", status, requestId, null);
        } finally {
            buffer.clear();
        }
    }

    static StackException networkFailure(
            ApiRequest request, HttpUrl url, String requestId, IOException e, Call call, String callLimit) {
        String where = request + " to " + url.host() + ":" + url.port();
        if (e instanceof SocketTimeoutException) {
            if (isConnectTimeout(e)) {
                return new StackTimeoutException(
                        "connectTimeout expired connecting for " + where,
                        StackTimeoutException.Kind.CONNECT,
                        requestId,
                        e);
            }
            return new StackTimeoutException(
                    "readTimeout expired waiting for the response to " + where,
                    StackTimeoutException.Kind.READ,
                    requestId,
                    e);
        }
        if (e instanceof InterruptedIOException && call.isCanceled()) {
            return new StackTimeoutException(
                    callLimit + " expired for " + where, StackTimeoutException.Kind.CALL, requestId, e);
        }
        return new StackNetworkException(
                "network failure for " + where + ": " + e.getClass().getSimpleName(), requestId, e);
    }

    /**
     * Recognises the I/O failures that are not network blips, so they fail at once instead of being retried: a
     * certificate that matches none of the configured pins, a proxy
     * that wants credentials (407; OkHttp reports it as a {@code ProtocolException} without a proxy, or as a failed
     * tunnel through one), and a response header line beyond OkHttp's header limit (256 KiB; OkHttp reports it as an
     * end of stream). A stream cut short inside a header line shorter than {@link #OVERSIZED_HEADER_LINE} stays a
     * network failure: it cannot be told apart from a connection closed mid-response. OkHttp's messages are matched
     * because it has no exception types for these; its message is never copied (it may quote header bytes).
     */
    private static @Nullable StackException notTransient(
            ApiRequest request, HttpUrl url, String requestId, IOException e) {
        String where = request + " to " + url.host() + ":" + url.port();
        if (Tls.isPinFailure(e)) {
            return new StackCertificatePinningException(
                    url.host(),
                    "the certificate chain of " + url.host() + ":" + url.port()
                            + " matches none of the configured certificate pins; " + request
                            + " was not sent and is not retried",
                    requestId);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            if ((t instanceof java.net.ProtocolException && m.contains("(407)"))
                    || m.startsWith("Failed to authenticate with proxy")) {
                return new StackNetworkException(
                        "a proxy answered 407 Proxy Authentication Required for " + where
                                + "; give the OkHttpClient passed to okHttpClient(..) the proxy's credentials"
                                + " (proxyAuthenticator); not retried",
                        requestId,
                        e);
            }
            if (t instanceof java.io.EOFException) {
                java.util.regex.Matcher lim = HEADER_LIMIT_HIT.matcher(m);
                if (lim.lookingAt() && Long.parseLong(lim.group(1)) >= OVERSIZED_HEADER_LINE) {
                    return new StackMalformedResponseException(
                            "the response to " + where + " has a header section larger than the client reads"
                                    + " (a header line of " + lim.group(1) + "+ bytes); not retried",
                            0,
                            requestId,
                            null);
                }
            }
        }
        return null;
    }

    /** How okio reports a line longer than its limit (or cut short): {@code \n not found: limit=N content=...}. */
    private static final java.util.regex.Pattern HEADER_LIMIT_HIT =
            java.util.regex.Pattern.compile("\\\\n not found: limit=(\\d{1,12})");

    /** A header line this long is not a STACK response cut short but a header section over the limit. */
    static final long OVERSIZED_HEADER_LINE = 8 * 1024;

    private static boolean isConnectTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof SocketTimeoutException
                    && m != null
                    && m.toLowerCase(Locale.ROOT).contains("connect")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Generates a request id: {@code req_} and 24 random characters of {@code [a-z0-9]}.
     *
     * @return a new id
     */
    public static String newRequestId() {
        char[] c = new char[24];
        for (int i = 0; i < c.length; i++) {
            c[i] = ID_ALPHABET.charAt(ID_RANDOM.nextInt(ID_ALPHABET.length()));
        }
        return "req_" + new String(c);
    }

    /**
     * Checks a header value before OkHttp sees it: OkHttp's own error for a bad character quotes the whole value,
     * which for {@code X-Passport-Token} is a secret. Only visible ASCII is allowed; the message names the position,
     * never the value.
     */
    static String headerValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new StackException(name + ": the value has a character not allowed in an HTTP header at position "
                        + i + " (a stray newline or space?)");
            }
        }
        return value;
    }

    /** Internal, not for public use. The outcome of one attempt. */
    public static final class Attempt {
        final @Nullable ApiResponse success;
        final @Nullable StreamedResponse stream;
        final @Nullable StackException failure;
        final boolean retryableOutcome;
        final @Nullable Duration retryAfter;
        final boolean breakerFailure;

        private Attempt(
                @Nullable ApiResponse success,
                @Nullable StreamedResponse stream,
                @Nullable StackException failure,
                boolean retryableOutcome,
                @Nullable Duration retryAfter,
                boolean breakerFailure) {
            this.success = success;
            this.stream = stream;
            this.failure = failure;
            this.retryableOutcome = retryableOutcome;
            this.retryAfter = retryAfter;
            this.breakerFailure = breakerFailure;
        }

        static Attempt ok(ApiResponse r) {
            return new Attempt(r, null, null, false, null, false);
        }

        static Attempt ok(StreamedResponse r) {
            return new Attempt(null, r, null, false, null, false);
        }

        static Attempt failed(
                StackException e, boolean retryable, @Nullable Duration retryAfter, boolean breakerFailure) {
            return new Attempt(null, null, e, retryable, retryAfter, breakerFailure);
        }
    }
}
