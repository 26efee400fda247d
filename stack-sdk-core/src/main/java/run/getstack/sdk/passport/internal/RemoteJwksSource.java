package run.getstack.sdk.passport.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Authenticator;
import okhttp3.CertificatePinner;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.internal.cache.RefreshAheadCache;
import run.getstack.sdk.internal.cache.RefreshAheadCache.RefreshResult;
import run.getstack.sdk.internal.http.Tls;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;

/**
 * Internal, not for public use. A JWKS fetched over HTTP with OkHttp and kept in a {@link RefreshAheadCache}.
 *
 * <ul>
 *   <li>Freshness comes from {@code Cache-Control: max-age} (else a default), clamped to [min refetch interval, max
 *       staleness]. One caller refreshes when 80% of it has passed; the others keep using the current keys.
 *   <li>A failed refresh keeps the last good keys, retried at most once per min refetch interval, until the last
 *       successful fetch is older than the max staleness; then every call fails closed with {@code
 *       KEYS_UNAVAILABLE} until a fetch succeeds.
 *   <li>An unknown {@code kid} triggers a refetch at most once per min refetch interval (counting every fetch).
 *   <li>The body is capped ({@link #MAX_BODY_BYTES}), must be strict JSON, and must hold at least one usable key;
 *       anything else is a failed fetch. Redirects are not followed.
 * </ul>
 */
public final class RemoteJwksSource implements JwksSource {
    /** The largest JWKS body read. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwksSource.class);

    private static final Pattern MAX_AGE = Pattern.compile("(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,10})\"?");

    private final HttpUrl url;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final Duration minRefetchInterval;
    private final Duration maxStaleness;
    private final Duration defaultMaxAge;
    /**
     * How long a verify that met an unknown key id waits for a JWKS fetch already in flight before it is answered
     * from the keys at hand: tokens with random key ids must not tie up request threads behind a slow endpoint.
     */
    static final Duration UNKNOWN_KID_MAX_WAIT = Duration.ofSeconds(1);

    private final RefreshAheadCache<JwkSet> cache;

    /**
     * Creates the source; nothing is fetched until first use.
     *
     * @param url the JWKS URL
     * @param sharedClient a client to derive from (its pool is shared, it is not closed), or null to own one
     * @param clock the clock
     * @param minRefetchInterval the least time between two fetches caused by unknown kids or failed refreshes
     * @param maxStaleness how long after the last successful fetch its keys may still be used
     * @param defaultMaxAge freshness when the response has no max-age
     * @param timeout the whole-call timeout of one fetch
     * @param pins certificate pins for the JWKS host, or null for none
     */
    public RemoteJwksSource(
            HttpUrl url,
            @Nullable OkHttpClient sharedClient,
            Clock clock,
            Duration minRefetchInterval,
            Duration maxStaleness,
            Duration defaultMaxAge,
            Duration timeout,
            @Nullable CertificatePinner pins) {
        this.url = Objects.requireNonNull(url, "url");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minRefetchInterval = minRefetchInterval;
        this.maxStaleness = maxStaleness;
        this.defaultMaxAge = defaultMaxAge;
        OkHttpClient.Builder b = sharedClient != null ? sharedClient.newBuilder() : new OkHttpClient.Builder();
        b.authenticator(Authenticator.NONE)
                .cookieJar(CookieJar.NO_COOKIES)
                .followRedirects(false)
                .followSslRedirects(false)
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                // TLS 1.2+ whatever a shared client allowed (cleartext only reaches a loopback URL)
                .connectionSpecs(Tls.SPECS);
        if (pins != null) {
            b.certificatePinner(pins);
        }
        this.client = b.build();
        this.ownsClient = sharedClient == null;
        this.cache = RefreshAheadCache.create(this::fetch, clock, minRefetchInterval);
    }

    @Override
    public JwkSet current() {
        try {
            return cache.get();
        } catch (PassportVerificationException e) {
            throw e;
        } catch (StackInterruptedException e) {
            throw new PassportVerificationException(
                    Reason.KEYS_UNAVAILABLE, "interrupted while waiting for the JWKS", e);
        } catch (RuntimeException e) {
            throw new PassportVerificationException(Reason.KEYS_UNAVAILABLE, "JWKS refresh failed", e);
        }
    }

    @Override
    public JwkSet refreshForUnknownKid() {
        try {
            return cache.refreshIfIdleFor(minRefetchInterval, UNKNOWN_KID_MAX_WAIT);
        } catch (RuntimeException e) {
            return current(); // the refetch failed: the last good keys (if still allowed) decide
        }
    }

    private RefreshResult<JwkSet> fetch() {
        try {
            RefreshResult<JwkSet> result = fetchOnce();
            LOG.debug("Fetched JWKS from {}: {}", url.redact(), result.value());
            return result;
        } catch (PassportVerificationException e) {
            JwkSet lastGood = cache.peek();
            if (lastGood != null) {
                LOG.warn(
                        "JWKS refresh from {} failed ({}); keeping the last good keys",
                        url.redact(),
                        e.detailMessage());
            } else {
                LOG.warn("JWKS fetch from {} failed ({})", url.redact(), e.detailMessage());
            }
            throw e;
        }
    }

    private RefreshResult<JwkSet> fetchOnce() {
        Request request = new Request.Builder()
                .url(url)
                .header("Accept", "application/json")
                .get()
                .build();
        try (Response response = client.newCall(request).execute()) {
            if (response.code() != 200) {
                throw unavailable("JWKS endpoint answered HTTP " + response.code(), null);
            }
            byte[] body = readCapped(response.body());
            JwkSet keys;
            try {
                keys = JwkSet.parse(body);
            } catch (IllegalArgumentException e) {
                throw unavailable("JWKS response is not a valid JWK set: " + e.getMessage(), null);
            }
            if (keys.isEmpty()) {
                throw unavailable("JWKS response holds no usable Ed25519 key", null);
            }
            Duration maxAge = clamp(maxAge(response.header("Cache-Control")));
            Instant now = clock.instant();
            Instant prefetch = now.plus(maxAge.multipliedBy(4).dividedBy(5));
            Instant stale = now.plus(maxStaleness.compareTo(maxAge) >= 0 ? maxStaleness : maxAge);
            return RefreshResult.of(keys, prefetch, stale);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw unavailable("interrupted while fetching the JWKS", e);
            }
            throw unavailable("JWKS fetch timed out", e);
        } catch (IOException e) {
            if (Tls.isPinFailure(e)) { // OkHttp's message lists the pins and the chain: not kept
                throw unavailable(
                        "the certificate chain of JWKS host " + url.host()
                                + " matches none of the configured certificate pins",
                        null);
            }
            throw unavailable("JWKS fetch failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private static byte[] readCapped(ResponseBody body) throws IOException {
        long declared = body.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw unavailable("JWKS response is larger than " + MAX_BODY_BYTES + " bytes", null);
        }
        BufferedSource source = body.source();
        Buffer buffer = new Buffer();
        while (buffer.size() <= MAX_BODY_BYTES) {
            long read = source.read(buffer, 8192);
            if (read == -1) {
                return buffer.readByteArray();
            }
        }
        throw unavailable("JWKS response is larger than " + MAX_BODY_BYTES + " bytes", null);
    }

    private Duration maxAge(@Nullable String cacheControl) {
        if (cacheControl == null) {
            return defaultMaxAge;
        }
        String cc = cacheControl.toLowerCase(Locale.ROOT);
        if (cc.contains("no-store") || cc.contains("no-cache")) {
            return Duration.ZERO; // clamped up to the min refetch interval
        }
        Matcher m = MAX_AGE.matcher(cc);
        return m.find() ? Duration.ofSeconds(Long.parseLong(m.group(1))) : defaultMaxAge;
    }

    private Duration clamp(Duration maxAge) {
        if (maxAge.compareTo(minRefetchInterval) < 0) {
            return minRefetchInterval;
        }
        return maxAge.compareTo(maxStaleness) > 0 ? maxStaleness : maxAge;
    }

    private static PassportVerificationException unavailable(String message, @Nullable Throwable cause) {
        return new PassportVerificationException(Reason.KEYS_UNAVAILABLE, message, cause);
    }

    /**
     * Returns the OkHttp client of the fetches, for tests.
     *
     * @return the client
     */
    public OkHttpClient client() {
        return client;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "RemoteJwksSource{url=" + url.redact() + ", minRefetchInterval=" + minRefetchInterval + ", maxStaleness="
                + maxStaleness + ", defaultMaxAge=" + defaultMaxAge + ", " + cache + '}';
    }
}
