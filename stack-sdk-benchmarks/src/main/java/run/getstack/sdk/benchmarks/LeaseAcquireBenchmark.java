package run.getstack.sdk.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.Signal;

/**
 * Lease acquisition against the testkit's fake control plane on loopback. {@code cachedAcquire}: a hold on a lease
 * another hold keeps alive (goal under 1 µs and no request; the request count is printed at tear-down).
 * {@code coldAcquire}: a lease that has to be granted ({@code POST /v1/leases}, its release not measured), against
 * {@code rawGrant}: the same request (same headers and body, an idempotency key, the JSON answer parsed) sent with a
 * plain OkHttp client, measured in the same run (goal: cold at most 1.2 × raw).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LeaseAcquireBenchmark {
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private FakeControlPlane fake;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private StackClient client;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private OkHttpClient raw;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Passport passport;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private LeaseRequest cachedRequest;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private LeaseRequest coldRequest;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private Lease keepAlive;

    private @Nullable Lease cold;
    private int grantsAtStart;

    @Setup(Level.Trial)
    public void setUp() {
        fake = FakeControlPlane.start();
        fake.detectors().mode(Signal.CREDENTIAL_BURST, DetectorMode.OFF);
        String agent = fake.seed()
                .newAgent("bench-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String openai = fake.seed().connection("openai", "sk-bench-openai", "chat");
        String github = fake.seed().connection("github", "ghp_bench_github", "repo");
        fake.seed().grant(agent, openai, "chat");
        fake.seed().grant(agent, github, "repo");
        client = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRequest(
                        PassportRequest.builder().ttl(Duration.ofHours(1)).build())
                .build();
        raw = new OkHttpClient.Builder().build();
        passport = client.passport().current();
        cachedRequest = LeaseRequest.provider("openai").withTtl(Duration.ofHours(1));
        coldRequest = LeaseRequest.provider("github").withTtl(Duration.ofHours(1));
        keepAlive = client.leases().acquire(cachedRequest);
        grantsAtStart = fake.journal().count("POST", "/v1/leases");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println();
        System.out.println("grant requests during the run (cached: expected 0 beyond cold/raw): "
                + (fake.journal().count("POST", "/v1/leases") - grantsAtStart));
        keepAlive.close();
        client.close();
        raw.dispatcher().executorService().shutdown();
        raw.connectionPool().evictAll();
        fake.close();
    }

    /** A hold on a live lease: no request. */
    @Benchmark
    public void cachedAcquire(Blackhole bh) {
        try (Lease l = client.leases().acquire(cachedRequest)) {
            bh.consume(l.secret());
        }
    }

    /** A lease that must be granted by the control plane; released (unmeasured) after each invocation. */
    @Benchmark
    public Lease coldAcquire() {
        Lease l = client.leases().acquire(coldRequest);
        cold = l;
        return l;
    }

    @TearDown(Level.Invocation)
    public void releaseCold() {
        Lease l = cold;
        if (l != null) {
            l.close();
            cold = null;
        }
    }

    /** The same grant request with a plain OkHttp client, the JSON answer parsed. */
    @Benchmark
    public JsonNode rawGrant() throws IOException {
        Request request = new Request.Builder()
                .url(fake.baseUrl() + "/v1/leases")
                .header("Authorization", "Bearer " + fake.operatorApiKey())
                .header("X-Passport-Token", passport.token().revealPlaintext())
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .post(RequestBody.create("{\"provider\":\"github\",\"ttl_seconds\":3600}", JSON))
                .build();
        try (Response r = raw.newCall(request).execute()) {
            if (r.code() != 201) {
                throw new IOException("grant failed: " + r.code());
            }
            return MAPPER.readTree(r.body().bytes());
        }
    }
}
