package run.getstack.sdk.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * The delay from an operator's revoke to the agent's client refusing its passport, on loopback with the real clock.
 * {@code revokeOnly}: the revoke call alone (the baseline, measured in the same run). {@code revokeUntilRefused}: the
 * revoke call, then until the agent's client knows (its holder is terminal, so every credential, lease and proxy
 * call is refused without a request). With {@code mode=feed} the client's follower is parked in a long poll on the
 * fake's feed (push: goal under 1 s); with {@code mode=polling} the fake is {@code stackV1Only()} and the follower
 * asks {@code POST /v1/passports/verify} once per bound of 2 s (goal: at most the bound).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, batchSize = 1)
@Measurement(iterations = 15, batchSize = 1)
@Fork(1)
public class RevocationLatencyBenchmark {
    private static final Duration POLLING_BOUND = Duration.ofSeconds(2);

    @Param({"feed", "polling"})
    public String mode = "feed";

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private FakeControlPlane fake;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private StackClient operator;

    @SuppressWarnings("NullAway.Init") // set in setUp()
    private String agent;

    @SuppressWarnings("NullAway.Init") // set in prepare()
    private StackClient holder;

    @SuppressWarnings("NullAway.Init") // set in prepare()
    private Passport held;

    @Setup(Level.Trial)
    public void setUp() {
        FakeControlPlane.Builder b = FakeControlPlane.builder();
        if (mode.equals("polling")) {
            b.stackV1Only();
        }
        fake = b.start();
        agent = fake.seed().agent("latency-bot", "standard");
        operator = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .retryPolicy(RetryPolicy.none())
                .build();
    }

    /** A fresh agent client holding a passport, its follower started (parked on the feed, or past its first ask). */
    @Setup(Level.Invocation)
    public void prepare() {
        int parkedBefore = fake.parkedRevocationPolls();
        holder = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .revocationStaleness(mode.equals("polling") ? POLLING_BOUND : Duration.ofSeconds(60))
                .build();
        held = holder.passport().current();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        if (mode.equals("feed")) {
            while (fake.parkedRevocationPolls() <= parkedBefore && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        } else {
            int asked = fake.journal().count("POST", "/v1/passports/verify");
            while (fake.journal().count("POST", "/v1/passports/verify") == asked && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    @TearDown(Level.Invocation)
    public void closeHolder() {
        holder.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        operator.close();
        fake.close();
    }

    /** The baseline: the revoke call alone. */
    @Benchmark
    public Object revokeOnly() {
        return operator.passports().revoke(held.jti(), "benchmark");
    }

    /** The revoke call, then until the agent's client refuses the passport (no request of its own). */
    @Benchmark
    public boolean revokeUntilRefused() {
        operator.passports().revoke(held.jti(), "benchmark");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!holder.passport().isTerminal()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not refused within 30 s");
            }
            LockSupport.parkNanos(50_000);
        }
        return true;
    }
}
