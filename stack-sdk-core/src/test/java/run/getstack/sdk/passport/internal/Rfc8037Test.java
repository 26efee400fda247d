package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.stream.Stream;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;

/** RFC 8037 Appendix A through the verifier's JWS layer (the example has no passport claims and no kid). */
class Rfc8037Test {
    private static final JsonNode RFC = load();

    private static JsonNode load() {
        try (InputStream in = Rfc8037Test.class.getResourceAsStream("/rfc8037/ed25519-examples.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(String... path) {
        JsonNode n = RFC;
        for (String p : path) {
            n = n.get(p);
        }
        return n.asText();
    }

    private static Ed25519Verify rfcKey() {
        return Ed25519Verify.fromPublicKey(Base64Url.decode(text("public_jwk", "x")));
    }

    static Stream<Arguments> cases() {
        String jws = text("jws_compact");
        String[] p = jws.split("\\.");
        char flipped = p[2].charAt(0) == 'A' ? 'B' : 'A';
        return Stream.of(
                Arguments.of("the RFC's JWS", jws, null),
                Arguments.of(
                        "payload changed",
                        p[0] + "." + Base64Url.encode("Example of Ed25519 signinG".getBytes(StandardCharsets.UTF_8))
                                + "." + p[2],
                        Reason.BAD_SIGNATURE),
                Arguments.of(
                        "signature changed",
                        p[0] + "." + p[1] + "." + flipped + p[2].substring(1),
                        Reason.BAD_SIGNATURE),
                Arguments.of(
                        "alg changed",
                        Base64Url.encode("{\"alg\":\"Ed25519\"}".getBytes(StandardCharsets.UTF_8)) + "." + p[1] + "."
                                + p[2],
                        Reason.UNSUPPORTED_ALGORITHM),
                Arguments.of("signature padded", jws + "==", Reason.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rfc8037ExampleThroughTheJwsLayer(String name, String token, Reason expected) {
        Ed25519Verify key = rfcKey();
        if (expected == null) {
            CompactJws jws = CompactJws.verify(token, 8192, kid -> key);
            assertThat(jws.kid()).isNull();
            assertThat(new String(jws.payload(), StandardCharsets.UTF_8)).isEqualTo(text("payload_text"));
            assertThat(jws.header().get("alg").asText()).isEqualTo("EdDSA");
        } else {
            PassportVerificationException e = catchThrowableOfType(
                    PassportVerificationException.class, () -> CompactJws.verify(token, 8192, kid -> key));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(expected);
        }
    }

    @Test
    void theRfcPrivateKeyReproducesTheRfcSignatureAndPublicKey() {
        byte[] d = Base64Url.decode(text("private_jwk", "d"));
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(d, 0, pk, 0);
        assertThat(Base64Url.encode(pk)).isEqualTo(text("public_jwk", "x"));
        String[] p = text("jws_compact").split("\\.");
        byte[] input = (p[0] + "." + p[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] sig = new byte[64];
        Ed25519.sign(d, 0, input, 0, input.length, sig, 0);
        assertThat(Base64Url.encode(sig)).isEqualTo(p[2]);
    }

    @Test
    void theRfcThumbprintIsTheKidFormatOfTheWireProtocol() throws Exception {
        String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + text("public_jwk", "x") + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
        assertThat(Base64Url.encode(digest)).isEqualTo(text("thumbprint_sha256"));
    }

    @Test
    void theRfcPublicJwkIsAUsableKeyOfAJwkSet() {
        String kid = text("thumbprint_sha256");
        JwkSet set = JwkSet.parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + text("public_jwk", "x")
                + "\",\"kid\":\"" + kid + "\"}]}");
        assertThat(set.find(kid)).isEqualTo(rfcKey());
        // and the RFC's JWS verifies with the key picked from that set
        assertThat(CompactJws.verify(text("jws_compact"), 8192, k -> set.find(kid))
                        .payload())
                .isNotEmpty();
    }

    @Test
    void thePrivateJwkIsNeverAcceptedAsAVerificationKey() {
        JwkSet set = JwkSet.parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + text("private_jwk", "x")
                + "\",\"d\":\"" + text("private_jwk", "d") + "\",\"kid\":\"k\"}]}");
        assertThat(set.isEmpty()).isTrue();
    }
}
