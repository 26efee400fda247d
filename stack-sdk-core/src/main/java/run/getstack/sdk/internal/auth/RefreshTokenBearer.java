package run.getstack.sdk.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.internal.cache.RefreshAheadCache;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;

/**
 * Internal, not for public use. The bearer source of a client whose credential is the operator's credentials file:
 * the file's refresh token buys a short access token at {@code POST /v1/oauth/token} (wire protocol §1.4; 5 minutes
 * on STACK), held in the SDK's one {@link RefreshAheadCache}: one caller exchanges (single flight) from {@link
 * #refreshAhead(Duration)} before expiry while the others keep the current token, and nobody is served a token within
 * {@link #expiryMargin(Duration)} of its expiry.
 *
 * <p>The refresh token rotates on every exchange. Each exchange runs under {@link CredentialsFile#locked}: it reads
 * the file, exchanges the token it found, and writes the new refresh token back before the lock is released, so
 * clients and processes sharing the file take turns and each starts from the latest token. When the token endpoint
 * refuses the token ({@code invalid_grant}: a writer that does not take the lock rotated it meanwhile), the file is
 * read again and, if it holds another token (the winner's), that one is exchanged; only a refused token that is still
 * the file's is a {@link StackAuthenticationException} (sign in again). The exchange is sent once, never retried: a
 * refresh token the server consumed could not be presented again.
 *
 * <p>Once sent, an exchange is not the caller's to abandon: STACK spends the presented token when it answers, so the
 * rotated one must be written whatever happens to the caller. The exchange therefore runs on a thread of its own (a
 * named daemon thread this source owns, one per exchange, so rare: once per access-token lifetime) and the caller
 * waits for it. Not on the client's scheduler: every scheduler worker may be a caller waiting for this very exchange,
 * and an exchange queued behind them would never run. An interrupted caller stops waiting at once ({@link
 * StackInterruptedException}, interrupt flag restored) while the exchange goes on: it writes the rotated token to the
 * file and its access token is kept for the next caller, who waits for the same exchange (or takes its result)
 * instead of sending another. One exchange is in flight at a time (single flight, on top of the cache's). {@link
 * #close()} releases the callers at once, cancels the exchange's HTTP call and leaves the file whole: the atomic
 * rewrite happens entirely or not at all (if STACK had already spent the token, the operator signs in again).
 */
public final class RefreshTokenBearer implements Transport.ExplainingBearer {
    /** The token endpoint [Extension path; STACK documents the grant, not the path]. */
    public static final String TOKEN_PATH = "/v1/oauth/token";

    /** The longest access token lifetime accepted from the server: 24 h. */
    static final long MAX_EXPIRES_IN_SECONDS = 24 * 3600;

    /** How many winners' tokens one exchange follows before giving up (each one another writer's rotation). */
    static final int MAX_REREADS = 3;

    private final CredentialsFile file;
    private final Clock clock;
    private final RefreshAheadCache<Secret> cache;
    private volatile @Nullable Transport transport;

    /** Makes each exchange's thread (a test replaces it to see a thread that cannot start). */
    private volatile ThreadFactory threads = r -> new Thread(r, "stack-refresh-token-exchange");

    /** Guards {@link #inFlight} and {@link #closed}; held only briefly, never while waiting. */
    private final ReentrantLock flightLock = new ReentrantLock();

    /** The exchange running, or finished and not yet taken by a caller; guarded by {@link #flightLock}. */
    private @Nullable Exchange inFlight;

    /** Set by {@link #close()}; guarded by {@link #flightLock}. */
    private boolean closed;

    /** One exchange: its outcome, and how to cancel its HTTP call. */
    private static final class Exchange {
        final CompletableFuture<RefreshAheadCache.RefreshResult<Secret>> outcome = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile @Nullable Runnable cancelCall;
        volatile @Nullable Thread thread;

        void cancel(StackException why) {
            cancelled = true;
            outcome.completeExceptionally(why);
            Runnable c = cancelCall;
            if (c != null) {
                c.run();
            }
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }

        void onCall(Runnable cancel) {
            cancelCall = cancel;
            if (cancelled) {
                cancel.run();
            }
        }
    }

    /**
     * Creates the source; nothing is exchanged before the first {@link #get()}.
     *
     * @param file the credentials file (validated)
     * @param clock the client's clock
     * @param random the client's random source, for the backoff after a failed exchange
     */
    public RefreshTokenBearer(CredentialsFile file, Clock clock, DoubleSupplier random) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = RefreshAheadCache.create(
                current -> awaitExchange(),
                clock,
                RefreshAheadCache.Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), random),
                e -> false);
    }

    /**
     * Connects the transport the exchange is sent through (set once by the client after building it).
     *
     * @param transport the client's transport
     */
    public void connect(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Releases every caller waiting for an exchange ({@link StackException} saying the client was closed) and cancels
     * the exchange in flight; later calls fail the same way. The credentials file is left whole: a rewrite under way
     * completes or leaves the file as it was. Idempotent.
     */
    public void close() {
        Exchange e;
        flightLock.lock();
        try {
            closed = true;
            e = inFlight;
            inFlight = null;
        } finally {
            flightLock.unlock();
        }
        if (e != null) {
            e.cancel(closedException());
        }
    }

    /**
     * Returns a live access token, exchanging the refresh token first when none is cached or it is due.
     *
     * @return the access token
     * @throws StackInterruptedException if interrupted while waiting for the exchange (which goes on, see the class
     *     description)
     * @throws StackException when the exchange fails and no live token is cached, or the client was closed
     */
    @Override
    public Secret get() {
        return cache.get();
    }

    /**
     * Drops the cached access token after the server refused it; the next call exchanges again.
     *
     * @param e the mapped failure
     * @return {@code e}
     */
    @Override
    public StackException explainRejection(StackApiException e) {
        if (e.httpStatus() == 401) {
            cache.invalidate();
        }
        return e;
    }

    /**
     * How long before expiry a token is refreshed ahead: a fifth of its lifetime, at most 60 s.
     *
     * @param lifetime the token's lifetime
     * @return the lead time
     */
    static Duration refreshAhead(Duration lifetime) {
        Duration fifth = lifetime.dividedBy(5);
        return fifth.compareTo(Duration.ofSeconds(60)) < 0 ? fifth : Duration.ofSeconds(60);
    }

    /**
     * How long before expiry a token is no longer served: a tenth of its lifetime, at most 10 s.
     *
     * @param lifetime the token's lifetime
     * @return the margin
     */
    static Duration expiryMargin(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(10)) < 0 ? tenth : Duration.ofSeconds(10);
    }

    /** Package-private, for tests: replaces the factory of the exchanges' threads. */
    void threadFactory(ThreadFactory factory) {
        this.threads = Objects.requireNonNull(factory, "factory");
    }

    /** Package-private, for tests: the cache (fetch count, next refresh). */
    RefreshAheadCache<Secret> cache() {
        return cache;
    }

    /**
     * The cache's fetcher: waits for the exchange in flight (or the unclaimed result of one whose caller was
     * interrupted), starting one when there is none.
     */
    private RefreshAheadCache.RefreshResult<Secret> awaitExchange() {
        RefreshAheadCache.RefreshResult<Secret> r = awaitOne();
        if (!clock.instant().isBefore(r.staleTime())) {
            // stale on arrival (it finished unclaimed and the clock moved on): its rotated token is in the file, so
            // one more exchange starts from there; a second stale answer goes to the cache, which refuses it
            r = awaitOne();
        }
        return r;
    }

    private RefreshAheadCache.RefreshResult<Secret> awaitOne() {
        Exchange e = joinOrStart();
        try {
            RefreshAheadCache.RefreshResult<Secret> r = e.outcome.get();
            claim(e);
            return r;
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException(
                    "interrupted while waiting for the refresh-token exchange of credentials file " + file.path()
                            + "; the exchange goes on and its tokens are kept for the next call",
                    null,
                    ie);
        } catch (ExecutionException ee) {
            claim(e);
            Throwable cause = ee.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StackException("the refresh-token exchange failed", cause);
        }
    }

    private Exchange joinOrStart() {
        flightLock.lock();
        try {
            if (closed) {
                throw closedException();
            }
            Exchange e = inFlight;
            if (e != null && (!e.outcome.isDone() || servable(e))) {
                return e;
            }
            Exchange fresh = new Exchange();
            Thread t;
            try {
                t = threads.newThread(() -> run(fresh));
                t.setDaemon(true);
                t.start();
            } catch (RuntimeException | OutOfMemoryError noThread) {
                // nothing was sent: no exchange is left in flight for later callers to wait on for ever
                throw new StackException(
                        "could not start the refresh-token exchange of credentials file " + file.path(), noThread);
            }
            fresh.thread = t;
            inFlight = fresh;
            return fresh;
        } finally {
            flightLock.unlock();
        }
    }

    /**
     * Tells whether a finished exchange nobody claimed (its caller was interrupted) can still serve: it succeeded and
     * its access token is not stale. Otherwise a new exchange starts from the file, where the rotated token already
     * is.
     */
    private boolean servable(Exchange e) {
        if (e.outcome.isCompletedExceptionally()) {
            return false;
        }
        RefreshAheadCache.RefreshResult<Secret> r = e.outcome.getNow(null);
        return r != null && clock.instant().isBefore(r.staleTime());
    }

    /** The caller took the exchange's outcome: the next fetch starts a new one. */
    private void claim(Exchange e) {
        flightLock.lock();
        try {
            if (inFlight == e) {
                inFlight = null;
            }
        } finally {
            flightLock.unlock();
        }
    }

    /** The exchange's thread: runs it to its end whatever happens to the callers waiting for it. */
    private void run(Exchange e) {
        try {
            e.outcome.complete(exchange(e));
        } catch (StackInterruptedException interrupted) {
            e.outcome.completeExceptionally(closedException()); // only close() interrupts the exchange's thread
        } catch (RuntimeException | Error failure) {
            e.outcome.completeExceptionally(failure);
        }
    }

    private StackException closedException() {
        return new StackException("the client was closed; the refresh-token exchange of credentials file " + file.path()
                + " is cancelled");
    }

    private RefreshAheadCache.RefreshResult<Secret> exchange(Exchange exchange) {
        Transport t = Objects.requireNonNull(transport, "transport not connected");
        return file.locked(() -> {
            Secret refused = null;
            StackApiException refusal = null;
            for (int reread = 0; ; reread++) {
                CredentialsFile.Contents contents = file.read();
                Secret presented = contents.refreshToken();
                if (refused != null && refused.equals(presented)) {
                    throw refusedFor(refusal);
                }
                Instant sentAt = clock.instant();
                TokenResponse r;
                try {
                    r = t.execute(request(presented, exchange::onCall), RefreshTokenBearer::decode);
                } catch (StackApiException e) {
                    if (e.httpStatus() == 400 && "invalid_grant".equals(e.errorCode())) {
                        if (reread < MAX_REREADS) {
                            refused = presented;
                            refusal = e; // another writer may have rotated it: read the file again
                            continue;
                        }
                        throw refusedFor(e);
                    }
                    throw e;
                }
                Secret rotated = r.refreshToken();
                if (rotated != null) {
                    file.write(contents, rotated);
                    rotated.close();
                }
                presented.close();
                String problem = r.problem();
                if (problem != null) {
                    // the rotated refresh token (if any) is saved above: only the access token is unusable
                    throw new StackMalformedResponseException("unexpected response shape: " + problem, 200, null, null);
                }
                Duration lifetime = Duration.ofSeconds(r.expiresIn());
                Instant expires = sentAt.plus(lifetime);
                return RefreshAheadCache.RefreshResult.of(
                        Objects.requireNonNull(r.accessToken(), "accessToken"),
                        expires.minus(refreshAhead(lifetime)),
                        expires.minus(expiryMargin(lifetime)));
            }
        });
    }

    private StackAuthenticationException refusedFor(@Nullable StackApiException e) {
        return new StackAuthenticationException(
                "credentials file " + file.path() + ": the token endpoint refused its refresh token (invalid_grant)"
                        + " and no newer one was written; sign in again (npx @getstackrun/cli auth login)",
                e != null ? e.httpStatus() : 400,
                "invalid_grant",
                e != null ? e.requestId() : null,
                null,
                null,
                e);
    }

    private static ApiRequest request(Secret refreshToken, java.util.function.Consumer<Runnable> onCall) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.revealPlaintext());
        return ApiRequest.builder("POST", TOKEN_PATH)
                .unauthenticated()
                .formBody(form)
                .onCall(onCall)
                .build();
    }

    /**
     * Reads the token endpoint's answer. The refresh token is read first: once STACK answered, the presented one is
     * spent, so a valid rotated token is kept even when the rest of the answer is malformed (then {@link
     * TokenResponse#problem()} says what, and no access token is served).
     */
    private static TokenResponse decode(run.getstack.sdk.internal.http.ApiResponse response) {
        JsonNode o = response.requireObject();
        String refresh = JsonFields.optText(o, "refresh_token");
        if (refresh != null && !CredentialsFile.validToken(refresh)) {
            throw new ResponseShapeException(
                    "refresh_token is not 1 to " + CredentialsFile.MAX_TOKEN_LENGTH + " visible ASCII characters");
        }
        Secret rotated = refresh == null ? null : Secret.of(refresh);
        try {
            return accessPart(o, rotated);
        } catch (ResponseShapeException e) {
            if (rotated == null) {
                throw e;
            }
            return new TokenResponse(null, 0, rotated, e.getMessage());
        }
    }

    private static TokenResponse accessPart(JsonNode o, @Nullable Secret rotated) {
        String access = JsonFields.text(o, "access_token");
        if (!CredentialsFile.validToken(access)) {
            throw new ResponseShapeException(
                    "access_token is not 1 to " + CredentialsFile.MAX_TOKEN_LENGTH + " visible ASCII characters");
        }
        String type = JsonFields.text(o, "token_type");
        if (!"bearer".equalsIgnoreCase(type)) {
            throw new ResponseShapeException("token_type is not Bearer");
        }
        long expiresIn = JsonFields.integer(o, "expires_in");
        if (expiresIn < 1 || expiresIn > MAX_EXPIRES_IN_SECONDS) {
            throw new ResponseShapeException("expires_in is not 1 to " + MAX_EXPIRES_IN_SECONDS + " seconds");
        }
        return new TokenResponse(Secret.of(access), expiresIn, rotated, null);
    }

    /**
     * The token endpoint's answer; the refresh token is absent when the server keeps the old one (RFC 6749 §6). With
     * a problem, only the refresh token was usable.
     */
    private record TokenResponse(
            @Nullable Secret accessToken,
            long expiresIn,
            @Nullable Secret refreshToken,
            @Nullable String problem) {}

    @Override
    public String toString() {
        return "RefreshTokenBearer{file=" + file.path() + ", cache=" + cache + '}';
    }
}
