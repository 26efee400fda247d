package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackException;

/** The header-value check before OkHttp: visible ASCII from '!' to '~' only, and the value never in the message. */
class HeaderValueMutationTest {
    @Test
    void theFirstAndLastVisibleAsciiCharactersAreAllowed() {
        assertThat(Transport.headerValue("X-Passport-Token", "!abc~")).isEqualTo("!abc~");
    }

    @Test
    void spaceDeleteAndNonAsciiAreRefusedByPositionWithoutTheValue() {
        String[][] cases = {{"ab c", "2"}, {"abc\u007f", "3"}, {"\u00e9abc", "0"}, {"ab\nc", "2"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> Transport.headerValue("X-Passport-Token", "secret" + c[0]))
                    .as(c[0])
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("X-Passport-Token")
                    .hasMessageContaining("position " + (6 + Integer.parseInt(c[1])))
                    .hasMessageNotContaining("secret");
        }
    }
}
