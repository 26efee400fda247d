package run.getstack.sdk.internal.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackException;
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
                current -> exchange(),
                clock,
                RefreshAheadCache.Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), random),
                e -> false);
    }

    /**
     * Connects the transport the exchange is sent through (set once by the client after building it).
     *
     * @param transport the client's transport
     */
    public void transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Returns a live access token, exchanging the refresh token first when none is cached or it is due.
     *
     * @return the access token
     * @throws StackException when the exchange fails and no live token is cached
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

    /** Package-private, for tests: the cache (fetch count, next refresh). */
    RefreshAheadCache<Secret> cache() {
        return cache;
    }

    private RefreshAheadCache.RefreshResult<Secret> exchange() {
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
                    r = t.execute(request(presented), RefreshTokenBearer::decode);
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

    private static ApiRequest request(Secret refreshToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.revealPlaintext());
        return ApiRequest.builder("POST", TOKEN_PATH)
                .unauthenticated()
                .formBody(form)
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
