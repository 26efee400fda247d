package run.getstack.sdk.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.FakeControlPlane;

/** Shared wiring for the audit writer's tests: a client of the fake with a writer on a temporary spool. */
final class AuditTestSupport {
    static final String INGEST = "/v1/audit/events";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditTestSupport() {}

    /** Fast settings for tests: no fsync, short batch delay, millisecond backoff. */
    static AuditConfig.Builder config(Path dir) {
        return AuditConfig.builder(dir)
                .durability(AuditDurability.NONE)
                .batchDelay(Duration.ofMillis(5))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .closeTimeout(Duration.ofSeconds(20));
    }

    /** A client of the fake's default operator acting for {@code agentId}, no transport retries, no breaker. */
    static StackClient.Builder client(FakeControlPlane fake, String agentId, AuditConfig audit) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .clock(fake.clock())
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .audit(audit);
    }

    /** The fake's accepted client events of an agent, in the fake's append order, as chain input. */
    static List<ChainedAuditEvent> clientChainAtFake(FakeControlPlane fake, String agentId) {
        List<ChainedAuditEvent> out = new ArrayList<>();
        for (AuditEntry e : fake.auditLog().entries()) {
            if (!"agent".equals(e.layer()) || !agentId.equals(e.agentId()) || e.clientJson() == null) {
                continue;
            }
            try {
                JsonNode c = MAPPER.readTree(e.clientJson());
                out.add(new ChainedAuditEvent(
                        c.path("event_id").asText(),
                        c.path("timestamp").asLong(),
                        e.agentId(),
                        e.passportJti(),
                        e.action(),
                        e.outcome(),
                        c.path("client_seq").asLong(),
                        c.path("client_prev_hash").asText(),
                        c.path("client_hash").asText()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out;
    }

    /** The client detail the fake stored for one event, as JSON. */
    static JsonNode clientJsonOf(AuditEntry e) {
        try {
            return MAPPER.readTree(e.clientJson());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Entries the fake wrote about the client chain itself (gaps, restarts). */
    static long chainIncidents(FakeControlPlane fake) {
        return fake.auditLog().entries().stream()
                .filter(e -> e.action().startsWith("client_chain."))
                .count();
    }

    /** The spool's segment files. */
    static List<Path> segments(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
