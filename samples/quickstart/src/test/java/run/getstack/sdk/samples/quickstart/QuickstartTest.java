package run.getstack.sdk.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {
    @Test
    void theTourRunsEndToEndAgainstTheFakeAndPrintsNoSecret() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Quickstart.runWithFake(out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();

        assertThat(lines)
                .anyMatch(l -> l.matches("passport pp_\\S+ expires \\d{4}-\\S+ scopes \\[openai: chat]"))
                .contains("allows(openai, chat) = true", "allows(openai, embeddings) = false")
                .anyMatch(l -> l.startsWith("checkpoint accepted=true"))
                .anyMatch(l -> l.startsWith("checked out pp_"))
                // what the numbers and the status mean: the fake's agent is enforced (300 s checkpoint interval)
                .contains("  lifetime 300 s: an agent with checkpoints gets at most its checkpoint interval (300 s),"
                        + " whatever TTL it asks for (here 900 s)")
                .anyMatch(l -> l.matches("  the checkpoint moved the expiry \\d+ ms later: an enforced agent's passport"
                        + " lives 300 s past its last accepted checkpoint, so checkpointing in time keeps it alive"))
                .contains("  clean: the review found nothing: no security event on this passport, only the services"
                        + " its intent named were used, and the outcome was a success")
                .anyMatch(l -> l.startsWith("refused locally: "))
                .anyMatch(l -> l.startsWith("audit chain verifies"))
                .noneMatch(l -> l.startsWith("UNEXPECTED"));
        // no passport token (a JWS starts with base64url "{"), no API key, no credential value
        assertThat(text).doesNotContain("eyJ").doesNotContain("sk_live_").doesNotContain("sk-demo-not-a-real-key");
    }

    @Test
    void everyCheckoutStatusAndExpiryChangeIsExplained() {
        assertThat(Quickstart.checkoutStatus("flagged")).startsWith("flagged: a warning-level security event");
        assertThat(Quickstart.checkoutStatus("blocked"))
                .startsWith("blocked: a critical security event")
                .contains("/unblock");
        assertThat(Quickstart.checkoutStatus("reviewed")).isEqualTo("reviewed: a status this sample does not know");

        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        assertThat(Quickstart.expiryChange(t, t, null)).startsWith("the checkpoint left the expiry where it was");
        assertThat(Quickstart.expiryChange(t, t.plusSeconds(2), Duration.ofSeconds(300)))
                .startsWith("the checkpoint moved the expiry 2000 ms later")
                .contains("lives 300 s past");
        assertThat(Quickstart.expiryChange(t, t.minusMillis(5), null))
                .startsWith("the checkpoint moved the expiry 5 ms earlier");
    }
}
