package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Independent review, finding 5: the excerpt was cut to 800 characters before credential-like runs were redacted, so a
 * credential straddling the cut kept a prefix shorter than the 32-character rule, which then survived redaction.
 */
class ErrorMapperExcerptCutTest {
    private static final String TOKEN = "Zq8vN3xK7pL2mR9tW4yB6cD1fG5hJ0kQsUeAiOo";

    private static String filler() {
        return (("T1".repeat(29) + " ").repeat(13)) + "  ";
    }

    @Test
    void aCredentialStraddlingTheCutKeepsNoPrefix() {
        String out = ErrorMapper.excerpt(filler() + TOKEN + " trailing");

        assertThat(out).doesNotContain("Zq8vN3xK7pL2mR9tW4yB").doesNotContain(TOKEN.substring(0, 8));
        assertThat(out.length()).isLessThanOrEqualTo(ErrorMapper.MAX_MESSAGE_EXCERPT + 3);
    }

    @ParameterizedTest(name = "cut {0} characters into the credential")
    @ValueSource(ints = {1, 8, 20, 31})
    void whereverTheCutFallsInACredentialNoneOfItIsKept(int into) {
        String runs = ("T1".repeat(29) + " ").repeat(13); // each run is redacted to 10 characters
        String pad = runs + " ".repeat(800 - into - runs.length());

        String out = ErrorMapper.excerpt(pad + TOKEN + " after");

        assertThat(out).doesNotContain(TOKEN.substring(0, Math.min(into, 6)));
    }

    @Test
    void aMessageCutBetweenWordsKeepsItsWords() {
        String out = ErrorMapper.excerpt("quota exceeded " + "y ".repeat(500));

        assertThat(out).startsWith("quota exceeded y y");
    }
}
