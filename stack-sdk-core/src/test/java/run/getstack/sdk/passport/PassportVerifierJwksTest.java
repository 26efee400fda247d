package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

class PassportVerifierJwksTest {
    private static final String PATH = "/v1/.well-known/jwks.json";

    private final TestClock clock = TestClock.at(Instant.ofEpochSecond(1_800_000_000L));
    private final TestKey current = TestKey.seeded(10);
    private final TestKey next = TestKey.seeded(11);
    private final TestKey stranger = TestKey.seeded(12);

    /** What the JWKS endpoint answers; tests swap it. */
    private final AtomicReference<MockResponse> answer = new AtomicReference<>();

    private MockWebServer server;
    private PassportVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.get();
            }
        });
        server.start();
        serve(300, current);
        verifier = PassportVerifier.builder()
                .jwksUrl(server.url(PATH).toString())
                .clock(clock)
                .build();
    }

    @AfterEach
    void stop() {
        verifier.close();
        server.close();
    }

    private void serve(int maxAge, TestKey... keys) {
        answer.set(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .addHeader("Cache-Control", "public, max-age=" + maxAge)
                .body(TestKey.jwks(keys))
                .build());
    }

    private void serveError(int code) {
        answer.set(new MockResponse.Builder().code(code).body("{}").build());
    }

    private String token(TestKey key) {
        return key.sign(TestKey.claims(clock.instant()));
    }

    private Reason reasonOf(String token) {
        PassportVerificationException e =
                catchThrowableOfType(PassportVerificationException.class, () -> verifier.verify(token));
        assertThat(e).as("verification must fail").isNotNull();
        return e.reason();
    }

    @Test
    void theJwksIsFetchedOnceForManyVerifications() {
        for (int i = 0; i < 10; i++) {
            assertThat(verifier.verify(token(current)).jti()).isEqualTo("pp_8f3a");
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theJwksIsRefreshedAheadOfItsMaxAge() {
        verifier.verify(token(current));
        clock.advance(Duration.ofSeconds(239)); // 80% of max-age 300 is 240
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRotatedInKeyIsFetchedWhenATokenNamesItAndARetiredKeyStopsVerifying() {
        String oldToken = token(current);
        verifier.verify(oldToken);

        // rotation: the next key signs, both are listed
        serve(300, next, current);
        clock.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(token(next)).keyId()).isEqualTo(next.kid);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(verifier.verify(oldToken).keyId()).isEqualTo(current.kid);

        // the retired key disappears after its grace period
        serve(300, next);
        clock.advance(Duration.ofSeconds(300));
        verifier.verify(token(next)); // past the prefetch time: refreshes
        assertThat(server.getRequestCount()).isEqualTo(3);
        assertThat(reasonOf(oldToken)).isEqualTo(Reason.UNKNOWN_KEY); // even though it was cached
        assertThat(reasonOf(token(current))).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void unknownKidRefetchesAreRateLimited() {
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
            assertThat(reasonOf(token(stranger))).isEqualTo(Reason.UNKNOWN_KEY);
        }
        assertThat(server.getRequestCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(29));
        assertThat(reasonOf(token(stranger))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(server.getRequestCount()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(1));
        assertThat(reasonOf(token(stranger))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void anUnknownKidRightAfterAFetchDoesNotRefetch() {
        verifier.verify(token(current));
        assertThat(reasonOf(token(stranger))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void manyConcurrentTokensWithANewKidCauseOneRefetch() throws Exception {
        verifier.verify(token(current));
        serve(300, next, current);
        clock.advance(Duration.ofSeconds(60));
        String newToken = token(next);
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<VerifiedPassport>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return verifier.verify(newToken);
                }));
            }
            go.countDown();
            for (Future<VerifiedPassport> f : results) {
                assertThat(f.get(10, TimeUnit.SECONDS).keyId()).isEqualTo(next.kid);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void manyConcurrentFirstVerificationsFetchTheJwksOnce() throws Exception {
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<VerifiedPassport>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                var claims = TestKey.claims(clock.instant());
                claims.put("jti", "pp_" + i);
                String token = current.sign(claims);
                results.add(pool.submit(() -> {
                    go.await();
                    return verifier.verify(token);
                }));
            }
            go.countDown();
            for (int i = 0; i < threads; i++) {
                assertThat(results.get(i).get(10, TimeUnit.SECONDS).jti()).isEqualTo("pp_" + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void lastGoodKeysAreUsedThroughAnOutageUpToTheMaxStalenessThenVerificationFailsClosed() {
        verifier.verify(token(current));
        serveError(503);

        // an outage: refreshes fail, the last good keys keep verifying, retries are spaced
        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(token(current)).jti()).isEqualTo("pp_8f3a");
        int afterFirstFailure = server.getRequestCount();
        assertThat(afterFirstFailure).isEqualTo(2);
        assertThat(verifier.verify(token(current)).jti()).isEqualTo("pp_8f3a");
        assertThat(server.getRequestCount()).isEqualTo(afterFirstFailure);

        clock.set(
                Instant.ofEpochSecond(1_800_000_000L).plus(Duration.ofHours(24)).minusSeconds(1));
        assertThat(verifier.verify(token(current)).jti()).isEqualTo("pp_8f3a");

        clock.advance(Duration.ofSeconds(1));
        String fresh = token(current);
        assertThat(reasonOf(fresh)).isEqualTo(Reason.KEYS_UNAVAILABLE);

        // the control plane comes back
        serve(300, current);
        clock.advance(PassportVerifier.DEFAULT_JWKS_MIN_REFETCH_INTERVAL);
        assertThat(verifier.verify(token(current)).jti()).isEqualTo("pp_8f3a");
    }

    @Test
    void aCachedTokenAlsoFailsClosedOnceTheKeysAreTooStale() {
        var claims = TestKey.claims(clock.instant());
        claims.put("exp", clock.instant().plus(Duration.ofDays(2)).getEpochSecond());
        String token = current.sign(claims);
        verifier.verify(token);
        serveError(500);
        clock.advance(Duration.ofHours(23));
        assertThat(verifier.verify(token).jti()).isEqualTo("pp_8f3a");
        clock.advance(Duration.ofHours(1));
        assertThat(reasonOf(token)).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void aJwksEndpointThatIsDownAtFirstUseGivesKeysUnavailable() {
        serveError(500);
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void anOversizedJwksBodyIsRejected() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .body("{\"keys\":[" + current.jwk() + "],\"pad\":\"" + "x".repeat(70_000) + "\"}")
                .build());
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void anOversizedChunkedJwksBodyIsRejectedWhileReading() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .chunkedBody("{\"keys\":[" + current.jwk() + "],\"pad\":\"" + "x".repeat(70_000) + "\"}", 4096)
                .build());
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void aJwksFetchThatTimesOutGivesKeysUnavailable() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .body(TestKey.jwks(current))
                .headersDelay(5, TimeUnit.SECONDS)
                .build());
        try (PassportVerifier impatient = PassportVerifier.builder()
                .jwksUrl(server.url(PATH).toString())
                .jwksFetchTimeout(Duration.ofMillis(200))
                .clock(clock)
                .build()) {
            PassportVerificationException e =
                    catchThrowableOfType(PassportVerificationException.class, () -> impatient.verify(token(current)));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(Reason.KEYS_UNAVAILABLE);
            assertThat(e.getMessage()).contains("timed out");
        }
    }

    @Test
    void noStoreIsTreatedAsTheShortestAllowedFreshness() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .addHeader("Cache-Control", "no-store")
                .body(TestKey.jwks(current))
                .build());
        verifier.verify(token(current));
        clock.advance(Duration.ofSeconds(23)); // 80% of the 30 s minimum is 24 s
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aJwksBodyThatIsNotStrictJsonIsRejected() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .body("{\"keys\":[" + current.jwk() + "],\"keys\":[]}")
                .build());
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void aJwksWithoutAnyUsableEd25519KeyIsAFailedFetch() {
        answer.set(new MockResponse.Builder()
                .code(200)
                .body("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}")
                .build());
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void redirectsAreNotFollowed() {
        answer.set(new MockResponse.Builder()
                .code(302)
                .addHeader("Location", server.url("/elsewhere").toString())
                .build());
        assertThat(reasonOf(token(current))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aMissingMaxAgeUsesTheDefaultFreshness() {
        answer.set(
                new MockResponse.Builder().code(200).body(TestKey.jwks(current)).build());
        verifier.verify(token(current));
        clock.advance(PassportVerifier.DEFAULT_JWKS_MAX_AGE
                .multipliedBy(4)
                .dividedBy(5)
                .minusSeconds(1));
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aTinyMaxAgeIsRaisedToTheMinimumRefetchInterval() {
        serve(0, current);
        verifier.verify(token(current));
        clock.advance(Duration.ofSeconds(10));
        verifier.verify(token(current));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
