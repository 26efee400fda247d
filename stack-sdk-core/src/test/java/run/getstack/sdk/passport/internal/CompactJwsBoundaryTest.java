package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;

/**
 * {@link CompactJws#verify} at its exact boundaries: the size limit, the segment checks, and how a refused header
 * value is shown in the message (bounded, printable ASCII only).
 */
class CompactJwsBoundaryTest {
    private static final byte[] PRIVATE_KEY = privateKey();
    private static final Ed25519Verify KEY = Ed25519Verify.fromPublicKey(publicKey());
    private static final KeyLookup ANY_KID = kid -> KEY;

    private static byte[] privateKey() {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(8037).nextBytes(sk);
        return sk;
    }

    private static byte[] publicKey() {
        byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(PRIVATE_KEY, 0, pk, 0);
        return pk;
    }

    private static String b64(String json) {
        return Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String sign(String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        byte[] message = input.getBytes(StandardCharsets.US_ASCII);
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(PRIVATE_KEY, 0, message, 0, message.length, sig, 0);
        return input + "." + Base64Url.encode(sig);
    }

    private static PassportVerificationException refused(String token, int maxLength) {
        return catchThrowableOfType(
                PassportVerificationException.class, () -> CompactJws.verify(token, maxLength, ANY_KID));
    }

    @Test
    void aTokenOfExactlyTheMaximumLengthIsVerifiedAndOneCharacterMoreIsTooLarge() {
        String token = sign("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", "{\"sub\":\"agt_1\"}");

        CompactJws jws = CompactJws.verify(token, token.length(), ANY_KID);
        assertThat(jws.kid()).isEqualTo("k1");
        assertThat(new String(jws.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"sub\":\"agt_1\"}");
        assertThat(jws.key()).isSameAs(KEY);

        PassportVerificationException e = refused(token, token.length() - 1);
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage())
                .contains("token is " + token.length() + " characters, the maximum is " + (token.length() - 1));
    }

    @Test
    void anEmptyFirstOrSecondSegmentIsMalformedAsAnEmptySegment() {
        String token = sign("{\"alg\":\"EdDSA\"}", "{}");
        String[] p = token.split("\\.");

        for (String bad : new String[] {"." + p[1] + "." + p[2], p[0] + ".." + p[2]}) {
            PassportVerificationException e = refused(bad, 8192);
            assertThat(e.reason()).as(bad).isEqualTo(Reason.MALFORMED);
            assertThat(e.getMessage()).as(bad).contains("empty JWS segment");
        }
    }

    @Test
    void twoOrFourSegmentsAreNotACompactJws() {
        String token = sign("{\"alg\":\"EdDSA\"}", "{}");
        String[] p = token.split("\\.");

        for (String bad : new String[] {p[0] + "." + p[1], token + ".", token + "." + p[2], "..", "..."}) {
            PassportVerificationException e = refused(bad, 8192);
            assertThat(e.reason()).as(bad).isEqualTo(Reason.MALFORMED);
        }
        assertThat(refused(p[0] + "." + p[1], 8192).getMessage()).contains("expected three segments");
        assertThat(refused(token + "." + p[2], 8192).getMessage()).contains("expected three segments");
    }

    @Test
    void anEmptySignatureSegmentIsABadSignatureOfZeroBytes() {
        String token = sign("{\"alg\":\"EdDSA\"}", "{}");
        String unsigned = token.substring(0, token.lastIndexOf('.') + 1);

        PassportVerificationException e = refused(unsigned, 8192);
        assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(e.getMessage()).contains("this one 0");
    }

    @Test
    void aRefusedTextualAlgIsShownQuoted() {
        PassportVerificationException e = refused(sign("{\"alg\":\"HS256\"}", "{}"), 8192);
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        assertThat(e.getMessage()).contains("alg \"HS256\" is not accepted, only EdDSA");
    }

    @Test
    void aRefusedNonTextualAlgOrTypIsShownByItsJsonType() {
        assertThat(refused(sign("{\"alg\":5}", "{}"), 8192).getMessage()).contains("alg number is not accepted");
        assertThat(refused(sign("{\"alg\":null}", "{}"), 8192).getMessage()).contains("alg null is not accepted");
        assertThat(refused(sign("{\"alg\":\"EdDSA\",\"typ\":[\"JWT\"]}", "{}"), 8192)
                        .getMessage())
                .contains("typ array is not accepted, only JWT");
    }

    @Test
    void aRefusedValueIsCutAtFortyCharactersAndControlOrNonAsciiCharactersBecomeQuestionMarks() {
        String long50 = "A".repeat(50);
        String shown = "\"" + "A".repeat(39); // 40 characters: the quote and 39 letters
        PassportVerificationException e = refused(sign("{\"alg\":\"" + long50 + "\"}", "{}"), 8192);
        assertThat(e.getMessage()).contains("alg " + shown + " is not accepted").doesNotContain("A".repeat(40));

        // U+001F and U+007F are replaced; the space (U+0020) and '~' (U+007E) are kept
        PassportVerificationException odd = refused(sign("{\"alg\":\"a\\u001fb c~d\\u007fe\\u00e9f\"}", "{}"), 8192);
        assertThat(odd.getMessage()).contains("alg \"a?b c~d?e?f\" is not accepted");
    }

    @Test
    void aKidIsReturnedAndAbsentKidIsNull() {
        assertThat(CompactJws.verify(sign("{\"alg\":\"EdDSA\"}", "{}"), 8192, ANY_KID)
                        .kid())
                .isNull();
        assertThat(CompactJws.verify(sign("{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"k2\"}", "{}"), 8192, ANY_KID)
                        .header()
                        .get("typ")
                        .asText())
                .isEqualTo("JWT");
    }

    @Test
    void aCharacterOutsideAsciiAnywhereInTheTokenIsMalformedNeverAnIndexError() {
        String token = sign("{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", "{\"sub\":\"agt_1\"}");
        int dot = token.indexOf('.');
        // the token is copied to bytes once: a surrogate pair becomes one byte and shifts every later segment, a
        // Latin-1 letter keeps its place but is outside the alphabet; both are refused as malformed
        for (String odd : new String[] {"\uD83D\uDE00", "\u00e9", "\u0100", "\u00ff"}) {
            for (int at : new int[] {1, dot + 2, token.length() - 2}) {
                String bad = token.substring(0, at) + odd + token.substring(at + 1);
                PassportVerificationException e = refused(bad, 4096);
                assertThat(e).as(odd + " at " + at).isNotNull();
                assertThat(e.reason()).as(odd + " at " + at).isEqualTo(Reason.MALFORMED);
            }
        }
    }
}
