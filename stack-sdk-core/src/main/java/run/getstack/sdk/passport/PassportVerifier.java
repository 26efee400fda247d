package run.getstack.sdk.passport;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import okhttp3.CertificatePinner;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.internal.http.Tls;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.passport.internal.CompactJws;
import run.getstack.sdk.passport.internal.JwkSet;
import run.getstack.sdk.passport.internal.JwksSource;
import run.getstack.sdk.passport.internal.RemoteJwksSource;
import run.getstack.sdk.passport.internal.VerifiedTokenCache;

/**
 * Verifies STACK passports offline, for any service that receives one (for example in {@code X-Passport-Token}).
 * Needs no STACK client and no API key: only STACK's public JWKS, fetched from a URL or given as a static document.
 *
 * <pre>{@code
 * PassportVerifier verifier = PassportVerifier.builder()
 *         .jwksUrl(PassportVerifier.DEFAULT_JWKS_URL)
 *         .build();
 * VerifiedPassport passport = verifier.verify(token); // throws PassportVerificationException
 * if (!passport.allows("stripe", "charges:read")) { ... }
 * }</pre>
 *
 * <p>What is checked: size before parsing; compact JWS shape with strict base64url; header and payload as strict JSON
 * without duplicate members; {@code alg} exactly EdDSA (Ed25519), {@code typ} absent or JWT, no {@code crit}, no
 * embedded or referenced keys ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}, {@code x5t}); the key chosen by
 * {@code kid} from the JWKS only (a header without {@code kid} is accepted only while the JWKS holds exactly one usable
 * Ed25519 key, which is then the key); the signature; then {@code iss}, {@code aud}, {@code sub}, {@code jti}, {@code exp},
 * {@code iat}, {@code nbf} (when present) with a bounded clock skew, and the {@code stk} claim. Every failure is a
 * {@link PassportVerificationException} naming its {@link Reason}.
 *
 * <p>A token that verified is remembered until it expires, so verifying it again is a hash lookup plus the expiry
 * check, a check that its key is still published, and the optional {@link RevocationCheck}. The JWKS is refreshed
 * ahead of its {@code max-age}, refetched at a bounded rate when a token names an unknown key, and its last good copy
 * is used through an outage of up to {@link Builder#jwksMaxStaleness(Duration)}; after that verification fails closed
 * with {@link Reason#KEYS_UNAVAILABLE}.
 *
 * <p><b>Revocation.</b> Without a {@link Builder#revocationCheck(RevocationCheck)} the verifier is offline-only: it
 * checks the signature, the claims and the expiry, and accepts a revoked passport until it expires. Give it {@code
 * StackClient.revocationCheck()} of an operator or member client to refuse revoked passports within about a second
 * (the client follows the operator's revocation feed) and to fail closed with {@link Reason#REVOCATION_CHECK_FAILED}
 * when revocation cannot be known within the client's staleness bound.
 *
 * <p>Thread-safe. Creates no threads. {@link #close()} releases the HTTP client it created (not a shared one).
 */
public final class PassportVerifier implements AutoCloseable {
    /** STACK's production JWKS. */
    public static final String DEFAULT_JWKS_URL = "https://api.getstack.run/v1/.well-known/jwks.json";

    /** Default expected {@code iss}. */
    public static final String DEFAULT_ISSUER = "https://api.getstack.run";

    /** Default expected {@code aud}. */
    public static final String DEFAULT_AUDIENCE = "stack:passport";

    /** Default allowed clock skew for {@code exp}, {@code nbf} and {@code iat}. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);

    /** Largest allowed clock skew. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Default maximum token length, in characters. */
    public static final int DEFAULT_MAX_TOKEN_SIZE = 8 * 1024;

    /** Smallest configurable maximum token length. */
    public static final int MIN_MAX_TOKEN_SIZE = 512;

    /** Largest configurable maximum token length. */
    public static final int MAX_MAX_TOKEN_SIZE = 64 * 1024;

    /** Default least time between two JWKS fetches caused by an unknown {@code kid} or a failed refresh. */
    public static final Duration DEFAULT_JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);

    /** Default time the last good JWKS is used while the JWKS endpoint cannot be reached. */
    public static final Duration DEFAULT_JWKS_MAX_STALENESS = Duration.ofHours(24);

    /** Default JWKS freshness when the response has no {@code Cache-Control: max-age}. */
    public static final Duration DEFAULT_JWKS_MAX_AGE = Duration.ofMinutes(5);

    /** Default timeout of one JWKS fetch. */
    public static final Duration DEFAULT_JWKS_FETCH_TIMEOUT = Duration.ofSeconds(10);

    /** Default number of verified tokens remembered. */
    public static final int DEFAULT_VERIFIED_TOKEN_CACHE_SIZE = 10_000;

    /** Largest configurable verified-token cache. */
    public static final int MAX_VERIFIED_TOKEN_CACHE_SIZE = 1_000_000;

    private final JwksSource keys;
    private final String issuer;
    private final String audience;
    private final Duration clockSkew;
    private final Clock clock;
    private final int maxTokenSize;
    private final @Nullable VerifiedTokenCache<VerifiedPassport> cache;
    private final @Nullable RevocationCheck revocationCheck;
    private final String description;
    private volatile boolean closed;

    private PassportVerifier(Builder b, JwksSource keys) {
        this.keys = keys;
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.clockSkew = b.clockSkew;
        this.clock = b.clock;
        this.maxTokenSize = b.maxTokenSize;
        this.cache = b.cacheSize > 0 ? new VerifiedTokenCache<>(b.cacheSize) : null;
        this.revocationCheck = b.revocationCheck;
        this.description = "PassportVerifier{keys=" + keys + ", issuer=" + issuer + ", audience=" + audience
                + ", clockSkew=" + clockSkew + ", maxTokenSize=" + maxTokenSize + ", verifiedTokenCacheSize="
                + b.cacheSize + ", revocationCheck=" + (revocationCheck != null) + '}';
    }

    /**
     * Starts a builder.
     *
     * @return a builder with the defaults; a JWKS URL or static JWKS must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a passport.
     *
     * @param token the passport JWT (compact JWS)
     * @return the verified passport
     * @throws PassportVerificationException when the passport does not verify; {@link
     *     PassportVerificationException#reason()} says why
     * @throws NullPointerException if token is null
     * @throws IllegalStateException if the verifier was closed
     */
    public VerifiedPassport verify(String token) {
        Objects.requireNonNull(token, "token");
        if (closed) {
            throw new IllegalStateException("PassportVerifier is closed");
        }
        VerifiedTokenCache<VerifiedPassport> c = cache;
        if (c != null && token.length() <= maxTokenSize) { // an oversized token is not even hashed
            VerifiedTokenCache.Entry<VerifiedPassport> hit = c.get(token, clock.instant());
            if (hit != null) {
                Ed25519Verify current = keys.current().find(hit.kid());
                if (current != null && current.sameKey(hit.key())) {
                    return checkRevocation(hit.value());
                }
                c.remove(token); // key retired or replaced: verify afresh
            }
        }
        CompactJws jws = CompactJws.verify(token, maxTokenSize, this::findKey);
        Instant now = clock.instant();
        VerifiedPassport passport = PassportClaims.read(jws.payload(), jws.kid(), issuer, audience, now, clockSkew);
        checkRevocation(passport);
        String kid = jws.kid();
        if (kid == null) {
            kid = keys.current().kidOf(jws.key()); // a kid-less token, verified with the set's only key
        }
        if (c != null && kid != null) {
            c.put(token, passport, passport.expiresAt().plus(clockSkew), kid, jws.key(), now);
        }
        return passport;
    }

    private Ed25519Verify findKey(@Nullable String kid) {
        if (kid == null) {
            // STACK documents the header only as far as alg: without a kid the key is unambiguous only when the set
            // holds exactly one usable Ed25519 key
            JwkSet set = keys.current();
            String only = set.soleKid();
            Ed25519Verify key = only == null ? null : set.find(only);
            if (key == null) {
                throw new PassportVerificationException(
                        Reason.UNKNOWN_KEY,
                        "header has no kid and the JWKS holds " + set.kids().size() + " keys; a kid must choose one");
            }
            return key;
        }
        Ed25519Verify key = keys.current().find(kid);
        if (key == null) {
            key = keys.refreshForUnknownKid().find(kid);
        }
        if (key == null) {
            throw new PassportVerificationException(Reason.UNKNOWN_KEY, "kid is not in the JWKS");
        }
        return key;
    }

    private VerifiedPassport checkRevocation(VerifiedPassport passport) {
        RevocationCheck check = revocationCheck;
        if (check == null) {
            return passport;
        }
        boolean revoked;
        try {
            revoked = check.isRevoked(passport);
        } catch (RuntimeException e) {
            throw new PassportVerificationException(
                    Reason.REVOCATION_CHECK_FAILED, "revocation check failed for " + passport.jti(), e);
        }
        if (revoked) {
            throw new PassportVerificationException(Reason.REVOKED, "passport " + passport.jti() + " is revoked");
        }
        return passport;
    }

    /**
     * Releases the HTTP client this verifier created (a shared client is left alone) and forgets verified tokens.
     * Later calls to {@link #verify(String)} throw {@link IllegalStateException}. Idempotent; never throws.
     */
    @Override
    public void close() {
        closed = true;
        keys.close();
        VerifiedTokenCache<VerifiedPassport> c = cache;
        if (c != null) {
            c.clear();
        }
    }

    /** Package-private, for tests: the OkHttp client of the JWKS fetches, or null for a static JWKS. */
    @Nullable
    OkHttpClient jwksHttpClient() {
        return keys instanceof RemoteJwksSource remote ? remote.client() : null;
    }

    /** Shows the configuration. */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Builds a {@link PassportVerifier}. Each setter validates its value at once and throws {@link
     * IllegalArgumentException} (or {@link NullPointerException} for null) naming the setting; {@link #build()} checks
     * only how settings combine and throws {@link IllegalStateException}. The setters shared with {@code
     * StackClient.Builder} have the same names ({@code clock}, {@code okHttpClient}, {@code certificatePin}). Not
     * thread-safe.
     */
    public static final class Builder {
        private @Nullable HttpUrl jwksUrl;
        private @Nullable JwkSet staticJwks;
        private String issuer = DEFAULT_ISSUER;
        private String audience = DEFAULT_AUDIENCE;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Clock clock = Clock.systemUTC();
        private int maxTokenSize = DEFAULT_MAX_TOKEN_SIZE;
        private Duration minRefetchInterval = DEFAULT_JWKS_MIN_REFETCH_INTERVAL;
        private Duration maxStaleness = DEFAULT_JWKS_MAX_STALENESS;
        private Duration defaultMaxAge = DEFAULT_JWKS_MAX_AGE;
        private Duration fetchTimeout = DEFAULT_JWKS_FETCH_TIMEOUT;
        private @Nullable OkHttpClient httpClient;
        private CertificatePinner.@Nullable Builder certificatePins;
        private int cacheSize = DEFAULT_VERIFIED_TOKEN_CACHE_SIZE;
        private @Nullable RevocationCheck revocationCheck;

        private Builder() {}

        /**
         * Fetches keys from a JWKS URL. Must be https, except for loopback hosts (tests). Replaces a static JWKS.
         *
         * @param url the URL, such as {@link #DEFAULT_JWKS_URL}
         * @return this
         * @throws IllegalArgumentException if the URL is not http(s), has user info, or is plain http to a
         *     non-loopback host
         */
        public Builder jwksUrl(String url) {
            Objects.requireNonNull(url, "jwksUrl");
            HttpUrl parsed = HttpUrl.parse(url);
            if (parsed == null) {
                throw new IllegalArgumentException("jwksUrl is not an http(s) URL");
            }
            if (!parsed.username().isEmpty() || !parsed.password().isEmpty()) {
                throw new IllegalArgumentException("jwksUrl must not carry user info");
            }
            if (!parsed.isHttps() && !isLoopback(parsed.host())) {
                throw new IllegalArgumentException("jwksUrl must be https (plain http only for loopback hosts)");
            }
            this.jwksUrl = parsed;
            this.staticJwks = null;
            return this;
        }

        /**
         * Fetches keys from a JWKS URL.
         *
         * @param url the URL
         * @return this
         * @throws IllegalArgumentException as {@link #jwksUrl(String)}
         */
        public Builder jwksUrl(URI url) {
            return jwksUrl(Objects.requireNonNull(url, "jwksUrl").toString());
        }

        /**
         * Uses a fixed JWK set document instead of fetching one. Replaces a JWKS URL.
         *
         * @param jwksJson the document, {@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...}]}}
         * @return this
         * @throws IllegalArgumentException if the document is not a JWK set or holds no usable Ed25519 key
         */
        public Builder staticJwks(String jwksJson) {
            Objects.requireNonNull(jwksJson, "staticJwks");
            if (jwksJson.length() > RemoteJwksSource.MAX_BODY_BYTES) {
                throw new IllegalArgumentException("staticJwks is larger than " + RemoteJwksSource.MAX_BODY_BYTES);
            }
            JwkSet set;
            try {
                set = JwkSet.parse(jwksJson);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("staticJwks: " + e.getMessage(), e);
            }
            if (set.isEmpty()) {
                throw new IllegalArgumentException("staticJwks holds no usable Ed25519 key");
            }
            this.staticJwks = set;
            this.jwksUrl = null;
            return this;
        }

        /**
         * Sets the expected {@code iss}.
         *
         * @param issuer the issuer; default {@link #DEFAULT_ISSUER}
         * @return this
         * @throws IllegalArgumentException if empty
         */
        public Builder expectedIssuer(String issuer) {
            this.issuer = nonEmpty(issuer, "expectedIssuer");
            return this;
        }

        /**
         * Sets the expected {@code aud}.
         *
         * @param audience the audience; default {@link #DEFAULT_AUDIENCE}
         * @return this
         * @throws IllegalArgumentException if empty
         */
        public Builder expectedAudience(String audience) {
            this.audience = nonEmpty(audience, "expectedAudience");
            return this;
        }

        /**
         * Sets the clock skew allowed on {@code exp}, {@code nbf} and {@code iat}.
         *
         * @param skew the skew; default {@link #DEFAULT_CLOCK_SKEW}, at most {@link #MAX_CLOCK_SKEW}
         * @return this
         * @throws IllegalArgumentException if negative or above the maximum
         */
        public Builder clockSkew(Duration skew) {
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_CLOCK_SKEW);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * Sets the clock for every time decision (token validity and JWKS freshness).
         *
         * @param clock the clock; default {@link Clock#systemUTC()}
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the largest token accepted; longer tokens are rejected before parsing.
         *
         * @param characters the size; default {@link #DEFAULT_MAX_TOKEN_SIZE}
         * @return this
         * @throws IllegalArgumentException if outside [{@link #MIN_MAX_TOKEN_SIZE}, {@link #MAX_MAX_TOKEN_SIZE}]
         */
        public Builder maxTokenSize(int characters) {
            if (characters < MIN_MAX_TOKEN_SIZE || characters > MAX_MAX_TOKEN_SIZE) {
                throw new IllegalArgumentException(
                        "maxTokenSize must be between " + MIN_MAX_TOKEN_SIZE + " and " + MAX_MAX_TOKEN_SIZE);
            }
            this.maxTokenSize = characters;
            return this;
        }

        /**
         * Sets the least time between two JWKS fetches caused by an unknown {@code kid}, and between retries of a
         * failed refresh. Also the shortest freshness a {@code max-age} can give.
         *
         * @param interval the interval; default {@link #DEFAULT_JWKS_MIN_REFETCH_INTERVAL}
         * @return this
         * @throws IllegalArgumentException if not between 1 second and 1 hour
         */
        public Builder jwksMinRefetchInterval(Duration interval) {
            this.minRefetchInterval =
                    between(interval, Duration.ofSeconds(1), Duration.ofHours(1), "jwksMinRefetchInterval");
            return this;
        }

        /**
         * Sets how long after the last successful fetch its keys may still be used while the JWKS endpoint fails;
         * after that verification fails closed with {@link Reason#KEYS_UNAVAILABLE}.
         *
         * @param staleness the bound; default {@link #DEFAULT_JWKS_MAX_STALENESS}
         * @return this
         * @throws IllegalArgumentException if not between 1 minute and 7 days
         */
        public Builder jwksMaxStaleness(Duration staleness) {
            this.maxStaleness = between(staleness, Duration.ofMinutes(1), Duration.ofDays(7), "jwksMaxStaleness");
            return this;
        }

        /**
         * Sets the JWKS freshness used when the response has no {@code Cache-Control: max-age}.
         *
         * @param maxAge the freshness; default {@link #DEFAULT_JWKS_MAX_AGE}
         * @return this
         * @throws IllegalArgumentException if not between 1 second and 1 day
         */
        public Builder jwksDefaultMaxAge(Duration maxAge) {
            this.defaultMaxAge = between(maxAge, Duration.ofSeconds(1), Duration.ofDays(1), "jwksDefaultMaxAge");
            return this;
        }

        /**
         * Sets the timeout of one JWKS fetch (connect, read and whole call).
         *
         * @param timeout the timeout; default {@link #DEFAULT_JWKS_FETCH_TIMEOUT}
         * @return this
         * @throws IllegalArgumentException if not between 100 ms and 5 minutes
         */
        public Builder jwksFetchTimeout(Duration timeout) {
            this.fetchTimeout = between(timeout, Duration.ofMillis(100), Duration.ofMinutes(5), "jwksFetchTimeout");
            return this;
        }

        /**
         * Shares an OkHttp client (its connection pool and dispatcher) for JWKS fetches. The verifier derives its own
         * settings from it (no redirects, its timeouts) and never closes it.
         *
         * @param client the client
         * @return this
         */
        public Builder okHttpClient(OkHttpClient client) {
            this.httpClient = Objects.requireNonNull(client, "okHttpClient");
            return this;
        }

        /**
         * Pins the certificates of the JWKS host: a fetch succeeds only if the host's certificate chain holds one of
         * the given public keys (OkHttp's {@link CertificatePinner}); otherwise it fails, and verification fails
         * closed with {@link Reason#KEYS_UNAVAILABLE} once no good key set is left, with a message naming the host.
         * Call once per host pattern; give the current key and a backup. Every fetch is TLS 1.2 or 1.3 either way.
         *
         * @param hostPattern a host name, {@code *.example.com} (one label) or {@code **.example.com} (any depth)
         * @param pins one or more {@code sha256/<base64 SHA-256 of the SubjectPublicKeyInfo>}
         * @return this
         * @throws IllegalArgumentException naming {@code certificatePin} when the pattern or a pin is malformed
         */
        public Builder certificatePin(String hostPattern, String... pins) {
            CertificatePinner.Builder p = certificatePins;
            if (p == null) {
                p = new CertificatePinner.Builder();
            }
            Tls.addPins("certificatePin", p, hostPattern, pins);
            this.certificatePins = p;
            return this;
        }

        /**
         * Sets how many verified tokens are remembered until they expire; 0 disables the cache.
         *
         * @param size the size; default {@link #DEFAULT_VERIFIED_TOKEN_CACHE_SIZE}
         * @return this
         * @throws IllegalArgumentException if negative or above {@link #MAX_VERIFIED_TOKEN_CACHE_SIZE}
         */
        public Builder verifiedTokenCacheSize(int size) {
            if (size < 0 || size > MAX_VERIFIED_TOKEN_CACHE_SIZE) {
                throw new IllegalArgumentException(
                        "verifiedTokenCacheSize must be between 0 and " + MAX_VERIFIED_TOKEN_CACHE_SIZE);
            }
            this.cacheSize = size;
            return this;
        }

        /**
         * Adds a revocation check consulted on every verification, cached ones included. Without one the verifier is
         * offline-only (a revoked passport is accepted until it expires); {@code StackClient.revocationCheck()} is
         * the SDK's implementation, backed by the client's revocation follower.
         *
         * @param check the check
         * @return this
         */
        public Builder revocationCheck(RevocationCheck check) {
            this.revocationCheck = Objects.requireNonNull(check, "revocationCheck");
            return this;
        }

        /**
         * Builds the verifier. Nothing is fetched until the first verification.
         *
         * @return the verifier
         * @throws IllegalStateException if neither a JWKS URL nor a static JWKS was set
         */
        public PassportVerifier build() {
            JwkSet fixed = staticJwks;
            HttpUrl url = jwksUrl;
            if (fixed != null && certificatePins != null) {
                throw new IllegalStateException("certificatePin applies to a jwksUrl; a staticJwks is not fetched");
            }
            JwksSource source;
            if (fixed != null) {
                source = JwksSource.fixed(fixed);
            } else if (url != null) {
                CertificatePinner.Builder pins = certificatePins;
                source = new RemoteJwksSource(
                        url,
                        httpClient,
                        clock,
                        minRefetchInterval,
                        maxStaleness,
                        defaultMaxAge,
                        fetchTimeout,
                        pins == null ? null : pins.build());
            } else {
                throw new IllegalStateException("set jwksUrl or staticJwks");
            }
            return new PassportVerifier(this, source);
        }

        private static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1") || h.equals("[::1]");
        }

        private static String nonEmpty(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " must not be empty");
            }
            return value;
        }

        private static Duration between(Duration d, Duration min, Duration max, String name) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
            }
            return d;
        }
    }
}
