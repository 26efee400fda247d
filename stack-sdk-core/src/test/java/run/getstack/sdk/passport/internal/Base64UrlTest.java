package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {
    @Test
    void decodesWhatTheJdkEncodesForEveryLength() {
        Random random = new Random(42);
        for (int len = 0; len < 100; len++) {
            byte[] bytes = new byte[len];
            random.nextBytes(bytes);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            assertThat(Base64Url.decode(encoded)).isEqualTo(bytes);
            assertThat(Base64Url.encode(bytes)).isEqualTo(encoded);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "AAAAA", "AA==", "AA=", "A A", "AA\n", "+/", "AB", "AAB", "AAAA%", "é"})
    void rejectsAnythingButCanonicalUnpaddedBase64url(String text) {
        assertThatThrownBy(() -> Base64Url.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheCanonicalFormsOfShortInputs() {
        assertThat(Base64Url.decode("")).isEmpty();
        assertThat(Base64Url.decode("AA")).containsExactly(0);
        assertThat(Base64Url.decode("AAE")).containsExactly(0, 1);
        assertThat(Base64Url.decode("_-8")).containsExactly(0xff, 0xef);
    }
}
