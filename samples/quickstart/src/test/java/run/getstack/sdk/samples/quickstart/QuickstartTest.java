package run.getstack.sdk.samples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
                .anyMatch(l -> l.startsWith("refused locally: "))
                .anyMatch(l -> l.startsWith("audit chain verifies"))
                .noneMatch(l -> l.startsWith("UNEXPECTED"));
        // no passport token (a JWS starts with base64url "{"), no API key, no credential value
        assertThat(text).doesNotContain("eyJ").doesNotContain("sk_live_").doesNotContain("sk-demo-not-a-real-key");
    }
}
