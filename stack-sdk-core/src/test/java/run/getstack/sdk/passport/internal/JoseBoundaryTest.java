package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** Base64url's character range and JwkSet's count of ignored (duplicated) keys, at their boundaries. */
class JoseBoundaryTest {
    @Test
    void theFirstNonAsciiCharacterIsRefusedAsInvalidBase64url() {
        for (String bad : new String[] {"\u0080AAA", "AA\u0080A", "\u00ffAAA", "\u20acAAA"}) {
            assertThatThrownBy(() -> Base64Url.decode(bad))
                    .as(bad)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid base64url character");
        }
    }

    @Test
    void aDuplicatedKidDropsBothCopiesAndCountsThemAsIgnored() {
        String x = x(1);
        String jwk = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"dup\"}";
        String other = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x(2) + "\",\"kid\":\"solo\"}";
        JwkSet set =
                JwkSet.parse(("{\"keys\":[" + jwk + "," + jwk + "," + other + "]}").getBytes(StandardCharsets.UTF_8));

        assertThat(set.find("dup")).isNull();
        assertThat(set.find("solo")).isNotNull();
        assertThat(set.toString()).isEqualTo("JwkSet{kids=[solo], ignored=1}");
    }

    private static String x(long seed) {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(seed).nextBytes(sk);
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(sk, 0, pk, 0);
        return Base64Url.encode(pk);
    }
}
