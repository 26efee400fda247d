package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/** {@link Secret} at its boundaries: the length limit, the exact fingerprint, equality with closed secrets. */
class SecretMutationTest {
    @Test
    void aValueOfExactlyTheMaximumLengthIsAcceptedAndOneCharacterMoreIsRefused() {
        Secret max = Secret.of("k".repeat(Secret.MAX_LENGTH));
        assertThat(max.length()).isEqualTo(Secret.MAX_LENGTH);
        assertThat(Secret.of(new char[Secret.MAX_LENGTH]).length()).isEqualTo(Secret.MAX_LENGTH);
        assertThatThrownBy(() -> Secret.of("k".repeat(Secret.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("secret value longer than " + Secret.MAX_LENGTH + " characters");
    }

    @Test
    void theFingerprintIsTheFirstFourBytesOfTheSha256InLowerCaseHex() {
        // SHA-256("abc") = ba7816bf 8f01cfea ...; SHA-256("hello") = 2cf24dba ...
        assertThat(Secret.of("abc").fingerprint()).isEqualTo("ba7816bf");
        assertThat(Secret.of("hello").fingerprint()).isEqualTo("2cf24dba");
        assertThat(Secret.of("abc").toString()).isEqualTo("Secret[redacted sha256:ba7816bf]");
    }

    @Test
    void lengthAndHashCodeFollowTheValue() {
        assertThat(Secret.of("abc").length()).isEqualTo(3);
        assertThat(Secret.of("abc").hashCode()).isEqualTo(0xba7816bf);
        assertThat(Secret.of("abc").hashCode()).isNotEqualTo(Secret.of("hello").hashCode());
    }

    @Test
    void aSecretEqualsItselfButAnOpenOneNeverEqualsAClosedOne() {
        Secret open = Secret.of("same-value");
        Secret closed = Secret.of("same-value");
        closed.close();
        assertThat(open.equals(open)).isTrue();
        assertThat(open.equals(closed)).isFalse();
        assertThat(closed.equals(open)).isFalse();
        assertThat(open.equals(Secret.of("same-value"))).isTrue();
    }

    @Test
    void closeRefusesBothRevealsAndOverwritesTheHeldCharacters() throws Exception {
        Secret s = Secret.of("sk_live_op_to_be_wiped");
        Field value = Secret.class.getDeclaredField("value");
        value.setAccessible(true);
        char[] held = (char[]) value.get(s);

        s.close();

        assertThat(held).containsOnly('\0');
        assertThatThrownBy(s::revealPlaintextChars)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("secret was closed");
        assertThatThrownBy(s::revealPlaintext).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nonAsciiValuesCompareByTheirCharacters() {
        assertThat(Secret.of("pässwörd")).isEqualTo(Secret.of("pässwörd".toCharArray()));
        assertThat(Secret.of("pässwörd")).isNotEqualTo(Secret.of("passwörd"));
    }
}
