package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class SecretTest {
    private static final String VALUE = "sk_live_op_verysecretvalue123";

    @Test
    void toStringIsRedactedWithAShortFingerprint() {
        Secret s = Secret.of(VALUE);
        assertThat(s.toString())
                .matches("Secret\\[redacted sha256:[0-9a-f]{8}]")
                .doesNotContain("verysecret");
        assertThat(s.fingerprint()).hasSize(8);
        assertThat(Secret.of(VALUE).fingerprint()).isEqualTo(s.fingerprint());
    }

    @Test
    void equalsComparesValues() {
        assertThat(Secret.of(VALUE)).isEqualTo(Secret.of(VALUE.toCharArray()));
        assertThat(Secret.of(VALUE)).hasSameHashCodeAs(Secret.of(VALUE));
        assertThat(Secret.of(VALUE)).isNotEqualTo(Secret.of(VALUE + "x"));
        assertThat(Secret.of(VALUE)).isNotEqualTo(VALUE);
    }

    @Test
    void revealReturnsTheValue() {
        assertThat(Secret.of(VALUE).revealPlaintext()).isEqualTo(VALUE);
        assertThat(Secret.of(VALUE).revealPlaintextChars()).containsExactly(VALUE.toCharArray());
    }

    @Test
    void theCallersArrayIsCopied() {
        char[] chars = VALUE.toCharArray();
        Secret s = Secret.of(chars);
        java.util.Arrays.fill(chars, 'x');
        assertThat(s.revealPlaintext()).isEqualTo(VALUE);
    }

    @Test
    void closeZeroesTheValueAndRevealFails() {
        Secret s = Secret.of(VALUE);
        s.close();
        s.close();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(s::revealPlaintext)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("secret was closed");
        assertThat(s).isNotEqualTo(Secret.of(VALUE));
        assertThat(s.toString()).startsWith("Secret[redacted");
    }

    @Test
    void isNotSerializable() {
        assertThatThrownBy(() -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(Secret.of(VALUE)))
                .isInstanceOf(NotSerializableException.class);
    }

    @Test
    void emptyValuesAreRefused() {
        assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secret.of(new char[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
