package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 item 5: the message scrubber removes every Unicode control (Cc, U+0085 included), format (Cf: zero-width,
 * bidi overrides), line (Zl) and paragraph (Zp) separator, not only ASCII controls.
 */
class ErrorMapperControlCharsTest {

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(strings = {"0085", "2028", "2029", "200B", "202E", "2066", "FEFF", "000A", "001B", "009B"})
    void noControlFormatOrSeparatorCharacterSurvives(String hex) {
        char c = (char) Integer.parseInt(hex, 16);

        String out = ErrorMapper.excerpt("line one" + c + "line two");

        assertThat(out).doesNotContain(String.valueOf(c));
        assertThat(out.codePoints().filter(cp -> {
                    int t = Character.getType(cp);
                    return t == Character.CONTROL
                            || t == Character.FORMAT
                            || t == Character.LINE_SEPARATOR
                            || t == Character.PARAGRAPH_SEPARATOR;
                }))
                .isEmpty();
        assertThat(out).startsWith("line one").endsWith("line two");
    }

    @ParameterizedTest(name = "U+{0} inside a key")
    @ValueSource(strings = {"200B", "200D", "2060"})
    void anInvisibleCharacterCannotSplitACredentialPastTheCheck(String hex) {
        char c = (char) Integer.parseInt(hex, 16);

        String out = ErrorMapper.excerpt("key sk_live_op_" + c + "ABCDEF0123456789 leaked");

        assertThat(out).isEqualTo("key [redacted] leaked");
    }
}
