package run.getstack.sdk.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import run.getstack.sdk.audit.AuditConfig;
import run.getstack.sdk.audit.AuditDurability;
import run.getstack.sdk.audit.AuditEvent;
import run.getstack.sdk.audit.AuditFlushResult;
import run.getstack.sdk.audit.AuditOutcome;
import run.getstack.sdk.audit.AuditWriter;
import run.getstack.sdk.audit.internal.ClientChain;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * The audit writer against its baseline, the raw SHA-256 chaining of the same events measured in the same run:
 *
 * <ul>
 *   <li>{@code recordLatency} vs {@code chainOneEvent} (sample time, percentiles): the agent thread's cost of
 *       {@code record()} with the default group-commit durability (spooling, fsync and delivery happen on the writer's
 *       thread and the scheduler), paced by an unmeasured invocation setup so the offered load stays below what the
 *       fake on loopback takes;
 *   <li>{@code deliverBatchToFake} vs {@code chainBatch} (single shot): {@value #BATCH} events recorded, spooled with
 *       group commit and acknowledged by the fake over loopback HTTP, against chaining the same number of events.
 * </ul>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AuditWriterBenchmark {
    static final int BATCH = 20_000;

    @SuppressWarnings("NullAway.Init") // set in start()
    private FakeControlPlane fake;

    @SuppressWarnings("NullAway.Init") // set in start()
    private StackClient client;

    @SuppressWarnings("NullAway.Init") // set in start()
    private AuditWriter audit;

    @SuppressWarnings("NullAway.Init") // set in start()
    private Path spool;

    private final ClientChain chain = new ClientChain();
    private final AuditEvent event =
            AuditEvent.action("tool.call").outcome(AuditOutcome.SUCCESS).detail("tool", "refund");
    private final String eventId = UUID.randomUUID().toString();
    private long seq;
    private String prev = ClientChain.GENESIS;

    /** Starts the fake on loopback and a client whose writer spools to a temporary directory. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        fake = FakeControlPlane.builder().start();
        String agent = fake.seed().agent("bench-agent", "standard");
        // for attributing record()'s tail (not a default): -Dstack.bench.audit.ingest=off makes the fake answer 404
        // (no delivery: the writer only spools), -Dstack.bench.audit.durability=NONE spools without fsync
        if ("off".equals(System.getProperty("stack.bench.audit.ingest"))) {
            fake.faults().on("POST", "/v1/audit/events").respondWith(404);
        }
        AuditDurability durability = AuditDurability.valueOf(
                System.getProperty("stack.bench.audit.durability", AuditDurability.GROUP_COMMIT.name()));
        spool = Files.createTempDirectory("stack-audit-bench");
        client = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .audit(AuditConfig.builder(spool)
                        .queueCapacity(1 << 16)
                        .diskBudgetBytes(4L * 1024 * 1024 * 1024)
                        .batchDelay(Duration.ofMillis(20))
                        .durability(durability)
                        .build())
                .build();
        audit = client.audit();
    }

    /** Closes the client and the fake and removes the spool. */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        client.close();
        fake.close();
        try (Stream<Path> files = Files.walk(spool)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Paces {@code recordLatency}: about 20 µs of unmeasured work between two records (an agent's own work). */
    @State(Scope.Thread)
    public static class Pace {
        /** Burns CPU before each invocation; not measured. */
        @Setup(Level.Invocation)
        public void work() {
            Blackhole.consumeCPU(10_000);
        }
    }

    /**
     * The agent thread's cost of one {@code record()}.
     *
     * @param pace the unmeasured pacing
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void recordLatency(Pace pace) {
        audit.record(event);
    }

    /**
     * The baseline: chaining one event (canonical preimage and SHA-256).
     *
     * @param pace the same unmeasured pacing
     * @return the hash
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public String chainOneEvent(Pace pace) {
        prev = chain.hash(eventId, 1_767_225_600_000L, "agt_bench", "pp_bench", "tool.call", "success", ++seq, prev);
        return prev;
    }

    /**
     * {@value #BATCH} events recorded and acknowledged by the fake.
     *
     * @return what the flush reported
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, batchSize = 1)
    @Measurement(iterations = 5, batchSize = 1)
    public AuditFlushResult deliverBatchToFake() {
        for (int i = 0; i < BATCH; i++) {
            audit.record(event);
        }
        AuditFlushResult r = audit.flush(Duration.ofMinutes(5));
        if (!r.isComplete()) {
            throw new IllegalStateException("not delivered: " + r);
        }
        return r;
    }

    /**
     * The baseline: chaining {@value #BATCH} events.
     *
     * @return the last hash
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3, batchSize = 1)
    @Measurement(iterations = 5, batchSize = 1)
    public String chainBatch() {
        String h = prev;
        for (int i = 0; i < BATCH; i++) {
            h = chain.hash(eventId, 1_767_225_600_000L, "agt_bench", "pp_bench", "tool.call", "success", ++seq, h);
        }
        prev = h;
        return h;
    }
}
