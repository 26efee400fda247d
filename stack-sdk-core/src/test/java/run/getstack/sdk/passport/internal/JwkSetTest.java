package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JwkSetTest {
    // RFC 8037 A.2 public key
    private static final String X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";

    private static String okp(String kid, String x) {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"" + kid + "\"}";
    }

    @Test
    void onlyWellFormedEd25519SigningKeysAreKept() {
        String small = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // the identity point: small order
        JwkSet set = JwkSet.parse("{\"keys\":["
                + okp("good", X) + ","
                + "{\"kty\":\"RSA\",\"kid\":\"rsa\",\"n\":\"AQAB\",\"e\":\"AQAB\"},"
                + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"ec\",\"x\":\"" + X + "\",\"y\":\"" + X + "\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"kid\":\"x25519\",\"x\":\"" + X + "\"},"
                + okp("short", X.substring(0, 40)) + ","
                + okp("padded", X + "=") + ","
                + okp("smallorder", small) + ","
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"enc\",\"use\":\"enc\",\"x\":\"" + X + "\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"es\",\"alg\":\"ES256\",\"x\":\"" + X + "\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + X + "\"},"
                + "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":5,\"x\":\"" + X + "\"},"
                + "\"junk\""
                + "]}");
        assertThat(set.kids()).containsExactly("good");
        assertThat(set.find("good")).isNotNull();
        assertThat(set.find("rsa")).isNull();
        assertThat(set.toString()).contains("good").contains("ignored=11");
    }

    @Test
    void aKidListedTwiceIsDropped() {
        JwkSet set = JwkSet.parse("{\"keys\":[" + okp("k", X) + "," + okp("k", X) + "," + okp("j", X) + "]}");
        assertThat(set.kids()).containsExactly("j");
    }

    @Test
    void aDocumentWithoutAKeysArrayIsRejected() {
        assertThatThrownBy(() -> JwkSet.parse("{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwkSet.parse("{\"keys\":{}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwkSet.parse("[]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwkSet.parse("{\"keys\":[],\"keys\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate member");
    }
}
