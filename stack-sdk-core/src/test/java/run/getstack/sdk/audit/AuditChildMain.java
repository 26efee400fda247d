package run.getstack.sdk.audit;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;

/**
 * A writer in a child JVM, for the crash test: records SYNC events (each on disk when {@code record()} returns) and
 * prints {@code recorded <n>} after each, until it is killed (or a minute has passed).
 */
public final class AuditChildMain {
    private AuditChildMain() {}

    /**
     * Runs the child.
     *
     * @param args base URL, API key, agent id, spool directory
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        StackClient stack = StackClient.builder()
                .baseUrl(args[0])
                .apiKey(args[1])
                .agentId(args[2])
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .audit(AuditConfig.builder(Path.of(args[3]))
                        .durability(AuditDurability.SYNC)
                        .batchDelay(Duration.ofMillis(2))
                        .maxBatchEvents(50)
                        .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
                        .build())
                .build();
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        for (int i = 1; System.nanoTime() < end; i++) {
            stack.audit().record(AuditEvent.action("child.step").detail("i", i));
            out.println("recorded " + i);
            out.flush();
        }
        stack.close();
    }
}
