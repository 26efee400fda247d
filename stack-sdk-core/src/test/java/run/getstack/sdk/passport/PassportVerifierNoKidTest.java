package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Issue 16 item 9: STACK documents the passport header only as far as {@code alg}. A header without {@code kid} is
 * verified with the JWKS's only usable Ed25519 key; with several keys it stays refused ({@code UNKNOWN_KEY}).
 */
class PassportVerifierNoKidTest {
    private final TestClock clock = TestClock.create();
    private final Instant now = clock.instant();
    private final TestKey stack = TestKey.seeded(1);
    private final TestKey other = TestKey.seeded(3);
    private final TestKey attacker = TestKey.seeded(2);

    private String kidless(TestKey key) {
        ObjectNode h = key.header();
        h.remove("kid");
        return key.sign(h, TestKey.claims(now));
    }

    private PassportVerifier verifier(String jwks) {
        return PassportVerifier.builder().staticJwks(jwks).clock(clock).build();
    }

    @Test
    void aTokenWithoutKidVerifiesWithTheOnlyKeyAndAgainFromTheCache() {
        try (PassportVerifier v = verifier(TestKey.jwks(stack))) {
            VerifiedPassport first = v.verify(kidless(stack));
            VerifiedPassport again = v.verify(kidless(stack));

            assertThat(first.jti()).isEqualTo("pp_8f3a");
            assertThat(first.keyId()).isNull(); // the token named none
            assertThat(again).isSameAs(first); // remembered, with the key that verified it
        }
    }

    @Test
    void entriesThatAreNotUsableEd25519KeysDoNotMakeItAmbiguous() {
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"rsa-1\",\"n\":\"AQAB\",\"e\":\"AQAB\"}," + stack.jwk()
                + ",{\"kty\":\"OKP\",\"crv\":\"X25519\",\"kid\":\"x-1\",\"x\":\"" + other.x + "\"}]}";
        try (PassportVerifier v = verifier(jwks)) {
            assertThat(v.verify(kidless(stack)).agentId()).isEqualTo("agt_research");
        }
    }

    @Test
    void withSeveralKeysATokenWithoutKidIsRefused() {
        try (PassportVerifier v = verifier(TestKey.jwks(stack, other))) {
            assertThatThrownBy(() -> v.verify(kidless(stack)))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                    .hasMessageContaining("no kid");
        }
    }

    @Test
    void aTokenWithoutKidSignedByAnotherKeyStillFailsItsSignature() {
        try (PassportVerifier v = verifier(TestKey.jwks(stack))) {
            assertThatThrownBy(() -> v.verify(kidless(attacker)))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        }
    }
}
