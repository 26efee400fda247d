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

    /**
     * The decoder rests on the JDK's (an intrinsic) plus its own checks of what the JDK leaves open; this holds it to
     * a plain table decoder of the strict rule over every string of up to four characters (each remainder a length can leave) drawn from the alphabet's
     * edges, padding, whitespace and other characters: the same bytes, or a refusal from both.
     */
    @Test
    void acceptsExactlyWhatAStrictTableDecoderAccepts() {
        String chars = "AZaz09-_QBgE=+/ .\u00e9";
        int n = chars.length();
        int compared = 0;
        for (int len = 0; len <= 4; len++) {
            int[] idx = new int[len];
            while (true) {
                StringBuilder sb = new StringBuilder();
                for (int i : idx) {
                    sb.append(chars.charAt(i));
                }
                String text = sb.toString();
                byte[] expected = strictReference(text);
                if (expected == null) {
                    assertThatThrownBy(() -> Base64Url.decode(text))
                            .as(text)
                            .isInstanceOf(IllegalArgumentException.class);
                } else {
                    assertThat(Base64Url.decode(text)).as(text).isEqualTo(expected);
                }
                compared++;
                int k = len - 1;
                while (k >= 0 && ++idx[k] == n) {
                    idx[k--] = 0;
                }
                if (k < 0) {
                    break;
                }
            }
        }
        assertThat(compared).isEqualTo(1 + 18 + 18 * 18 + 18 * 18 * 18 + 18 * 18 * 18 * 18);
    }

    /** RFC 4648 §5 without padding, canonical trailing bits, by table: null when refused. */
    private static byte[] strictReference(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int len = s.length();
        if (len % 4 == 1) {
            return null;
        }
        int[] v = new int[len];
        for (int i = 0; i < len; i++) {
            v[i] = alphabet.indexOf(s.charAt(i));
            if (v[i] < 0) {
                return null;
            }
        }
        byte[] out = new byte[len * 3 / 4];
        int bits = 0;
        int acc = 0;
        int o = 0;
        for (int x : v) {
            acc = (acc << 6) | x;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return acc == 0 ? out : null; // leftover bits must be zero
    }
}
