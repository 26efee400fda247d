package run.getstack.sdk.flows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.time.TestClock;

/** Shared wiring for the flows: a client pointed at the fake, on the fake's clock. */
final class FlowSupport {
    static final String ISSUE = "/v1/passports/issue";
    /** The client's own passport comes with the mission it starts (docs/wire-protocol.md §10.4.2). */
    static final String START = "/v1/missions";

    static final String REFRESH = "/v1/passports/refresh";
    static final String DELEGATE = "/v1/passports/delegate";
    static final String JWKS = "/v1/.well-known/jwks.json";

    /** Refresh at exactly 3/4 of the lifetime (no jitter), so the refresh point is known. */
    static final PassportRefreshPolicy NO_JITTER =
            PassportRefreshPolicy.builder().jitterFraction(0).build();

    private FlowSupport() {}

    /**
     * A client of the fake's default operator, acting for {@code agentId}, on the shared test clock. The flows count
     * requests and scheduler tasks exactly, so the revocation follower (tested in {@code run.getstack.sdk.revocation})
     * is off.
     */
    static StackClient.Builder client(FakeControlPlane fake, TestClock clock, String agentId) {
        return ClientTestHooks.withoutRevocationFollower(StackClient.builder())
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .clock(clock)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(NO_JITTER);
    }

    /** Requests whose body or passport header carries the token, or whose path names the jti. */
    static List<JournalEntry> carrying(FakeControlPlane fake, String jti, String token) {
        return fake.journal().entries().stream()
                .filter(e -> jti.equals(e.passportJti())
                        || e.body().contains(token)
                        || e.path().contains(jti))
                .toList();
    }

    /** POSTs JSON with the operator key, bypassing the SDK (to ask the fake what it decides). */
    static HttpResponse<String> rawPost(FakeControlPlane fake, String path, String json)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                .header("Authorization", "Bearer " + fake.operatorApiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Holds requests to one path (on the client side, before they are sent) until released, so a test knows that a
     * refresh is in flight without sleeping.
     */
    static final class Gate implements Interceptor {
        private final String path;
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Gate(String path) {
            this.path = path;
        }

        OkHttpClient okHttp() {
            return new OkHttpClient.Builder().addInterceptor(this).build();
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            if (chain.request().url().encodedPath().equals(path)) {
                entered.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("gate was never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted at the gate");
                }
            }
            return chain.proceed(chain.request());
        }

        static void close(OkHttpClient http) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
