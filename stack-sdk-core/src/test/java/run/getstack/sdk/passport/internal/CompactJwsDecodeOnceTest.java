package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;

/**
 * Issue 16 item 10: each JWK is decoded once, when its set is parsed, and every verification uses that decoded key;
 * a repeated header is checked once. The shortcuts must not change what is accepted.
 */
class CompactJwsDecodeOnceTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] seed = new byte[32];
    private final byte[] pub = new byte[32];

    CompactJwsDecodeOnceTest() {
        seed[0] = 42;
        Ed25519.generatePublicKey(seed, 0, pub, 0);
    }

    private String sign(String header, String payload) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        byte[] in = input.getBytes(StandardCharsets.US_ASCII);
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, in, 0, in.length, sig, 0);
        return input + "." + B64.encodeToString(sig);
    }

    private JwkSet jwks() {
        return JwkSet.parse("{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"x\":\""
                + B64.encodeToString(pub) + "\"}]}");
    }

    @Test
    void everyVerificationUsesTheKeyDecodedWhenTheSetWasParsed() {
        JwkSet set = jwks();
        Ed25519Verify decoded = set.find("k1");
        assertThat(decoded).isNotNull();
        KeyLookup lookup = kid -> java.util.Objects.requireNonNull(set.find(java.util.Objects.requireNonNull(kid)));

        CompactJws first = CompactJws.verify(sign("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", "{\"n\":1}"), 8192, lookup);
        CompactJws second = CompactJws.verify(sign("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", "{\"n\":2}"), 8192, lookup);

        assertThat(set.find("k1")).isSameAs(decoded);
        assertThat(first.key()).isSameAs(decoded);
        assertThat(second.key()).isSameAs(decoded);
    }

    @Test
    void aRepeatedHeaderIsStillCheckedPerTokenAndItsCopyCannotBeTamperedWith() {
        JwkSet set = jwks();
        KeyLookup lookup = kid -> java.util.Objects.requireNonNull(set.find("k1"));
        String good = "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}";
        CompactJws ok = CompactJws.verify(sign(good, "{\"n\":1}"), 8192, lookup);
        ok.header().put("alg", "none"); // a caller's edit of its copy

        assertThat(CompactJws.verify(sign(good, "{\"n\":2}"), 8192, lookup)
                        .header()
                        .get("alg")
                        .asText())
                .isEqualTo("EdDSA");
        // other headers right after a good one are checked in full
        assertThatThrownBy(() -> CompactJws.verify(sign("{\"alg\":\"none\",\"kid\":\"k1\"}", "{}"), 8192, lookup))
                .isInstanceOfSatisfying(
                        PassportVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM));
        assertThatThrownBy(() -> CompactJws.verify(
                        sign("{\"alg\":\"EdDSA\",\"kid\":\"k1\",\"crit\":[\"x\"]}", "{}"), 8192, lookup))
                .isInstanceOfSatisfying(
                        PassportVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CRITICAL_HEADER));
        // a bad payload after a known header is still MALFORMED, and a bad signature still fails
        String token = sign(good, "{\"n\":3}");
        String badPayload = token.substring(0, token.indexOf('.') + 1) + "!!" + token.substring(token.indexOf('.') + 3);
        assertThatThrownBy(() -> CompactJws.verify(badPayload, 8192, lookup))
                .isInstanceOfSatisfying(
                        PassportVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        String other = sign(good, "{\"n\":4}");
        String swapped = token.substring(0, token.lastIndexOf('.')) + other.substring(other.lastIndexOf('.'));
        assertThatThrownBy(() -> CompactJws.verify(swapped, 8192, lookup))
                .isInstanceOfSatisfying(
                        PassportVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void nonAsciiAndControlBytesStillTakeTheStrictUtf8Path() {
        // a raw (unescaped) non-ASCII character is valid UTF-8 and accepted; invalid UTF-8 is refused
        assertThat(StrictJson.parseObject("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8))
                        .get("a")
                        .asText())
                .isEqualTo("é");
        assertThatThrownBy(() -> StrictJson.parseObject(
                        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not valid UTF-8");
        assertThatThrownBy(() -> StrictJson.parseObject(new byte[] {0, '{', '}', 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictJson.parseObject("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate member");
    }
}
