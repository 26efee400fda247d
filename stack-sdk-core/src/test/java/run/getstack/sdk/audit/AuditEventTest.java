package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditEventTest {
    @Test
    void eventsAreImmutableAndBuiltFluently() {
        AuditEvent base = AuditEvent.action("tool.call");
        AuditEvent e = base.outcome(AuditOutcome.FAILURE)
                .detail("tool", "refund")
                .detail("n", 3)
                .detail("ok", false);
        assertThat(base.outcome()).isEqualTo(AuditOutcome.SUCCESS);
        assertThat(base.detail()).isEmpty();
        assertThat(e.detail())
                .containsExactly(
                        java.util.Map.entry("tool", "refund"),
                        java.util.Map.entry("n", 3L),
                        java.util.Map.entry("ok", false));
        assertThat(e.toString()).contains("tool.call").doesNotContain("refund");
        assertThat(AuditOutcome.BLOCKED.wireValue()).isEqualTo("blocked");
    }

    @Test
    void badInputIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> AuditEvent.action("Tool Call")).hasMessageStartingWith("action:");
        assertThatThrownBy(() -> AuditEvent.action("a".repeat(129))).hasMessageStartingWith("action:");
        assertThatThrownBy(() -> AuditEvent.action("x").passportJti("pp bad")).hasMessageStartingWith("passportJti:");
        assertThatThrownBy(() -> AuditEvent.action("x").duration(Duration.ofMillis(-1)))
                .hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> AuditEvent.action("x").timestamp(Instant.EPOCH.minusMillis(1)))
                .hasMessageStartingWith("timestamp:");
        assertThatThrownBy(() -> AuditEvent.action("x").detail("", "v")).hasMessageStartingWith("detail key:");
        assertThatThrownBy(() -> AuditEvent.action("x").detail("k", "\u00e9".repeat(4100)))
                .hasMessageStartingWith("detail:")
                .hasMessageContaining("8192");
        AuditEvent many = AuditEvent.action("x");
        for (int i = 0; i < AuditEvent.MAX_DETAIL_ENTRIES; i++) {
            many = many.detail("k" + i, i);
        }
        AuditEvent full = many;
        assertThatThrownBy(() -> full.detail("one.more", 1)).hasMessageContaining("at most 32 entries");
    }

    @Test
    void theConfigurationHasNamedDefaultsAndValidatesEachSetting() {
        AuditConfig c = AuditConfig.builder(Path.of("spool")).build();
        assertThat(c.durability()).isEqualTo(AuditConfig.DEFAULT_DURABILITY).isEqualTo(AuditDurability.GROUP_COMMIT);
        assertThat(c.maxBatchEvents()).isEqualTo(500);
        assertThat(c.maxBatchBytes()).isEqualTo(1024 * 1024);
        assertThat(c.diskBudgetBytes()).isEqualTo(AuditConfig.DEFAULT_DISK_BUDGET_BYTES);
        assertThat(c.fullWait()).isEqualTo(AuditConfig.DEFAULT_FULL_WAIT);
        assertThat(c.shutdownHook()).isFalse();
        assertThat(c.toString()).contains("durability=GROUP_COMMIT");
        AuditConfig.Builder b = AuditConfig.builder(Path.of("spool"));
        assertThatThrownBy(() -> b.maxBatchEvents(501)).hasMessageStartingWith("maxBatchEvents:");
        assertThatThrownBy(() -> b.maxBatchBytes(2 * 1024 * 1024)).hasMessageStartingWith("maxBatchBytes:");
        assertThatThrownBy(() -> b.segmentBytes(100)).hasMessageStartingWith("segmentBytes:");
        assertThatThrownBy(() -> b.diskBudgetBytes(0)).hasMessageStartingWith("diskBudgetBytes:");
        assertThatThrownBy(() -> b.queueCapacity(0)).hasMessageStartingWith("queueCapacity:");
        assertThatThrownBy(() -> b.groupCommitInterval(Duration.ZERO)).hasMessageStartingWith("groupCommitInterval:");
        assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageStartingWith("retryMaxDelay:");
        assertThatThrownBy(
                        () -> b.segmentBytes(1 << 20).diskBudgetBytes(1 << 20).build())
                .hasMessageStartingWith("diskBudgetBytes:");
    }
}
