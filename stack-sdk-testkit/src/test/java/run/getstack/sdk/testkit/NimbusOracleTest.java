package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The fake's passports, JWKS and minted tokens come from Nimbus JOSE+JWT: Nimbus reads them back, and the JDK's own
 * Ed25519 verifies the signatures, so neither side of the oracle is the SDK's code.
 */
class NimbusOracleTest {
    private FakeControlPlane fake;

    @BeforeEach
    void start() {
        fake = FakeControlPlane.builder().clock(TestClock.create()).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private OctetKeyPair jwk(String kid) throws Exception {
        JWK key = JWKSet.parse(fake.jwks()).getKeyByKeyId(kid);
        assertThat(key).as("kid %s in the JWKS", kid).isNotNull();
        return key.toOctetKeyPair();
    }

    private static boolean jdkVerifies(java.security.PublicKey key, String token) throws Exception {
        int dot = token.lastIndexOf('.');
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
        return s.verify(Base64.getUrlDecoder().decode(token.substring(dot + 1)));
    }

    @Test
    void aSeededPassportIsANimbusJwtThatVerifiesAgainstTheServedJwks() throws Exception {
        String agent =
                fake.seed().newAgent("oracle").mode(AccountabilityMode.STANDARD).create();
        SeededPassport p = fake.seed().newPassport(agent).create();

        SignedJWT jwt = SignedJWT.parse(p.token());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(fake.currentKid());
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isEqualTo(p.jti());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(agent);
        assertThat(jwt.verify(new Ed25519Verifier(jwk(fake.currentKid())))).isTrue();
        assertThat(jdkVerifies(fake.signingKeys().get(0).publicKey(), p.token()))
                .isTrue();
    }

    @Test
    void theJwksIsNimbusOutputWithOnlyPublicMembers() throws Exception {
        fake.rotateSigningKey();
        JWKSet set = JWKSet.parse(fake.jwks());

        assertThat(set.getKeys()).hasSize(2).allSatisfy(k -> {
            assertThat(k.isPrivate()).isFalse();
            assertThat(k.getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
            assertThat(k.getKeyUse().identifier()).isEqualTo("sig");
        });
        assertThat(fake.jwks()).doesNotContain("\"d\"");
    }

    @Test
    void mintedTokensKeepTheirExactHeaderAndAreSignedEvenWhenNimbusWouldRefuseTheHeader() throws Exception {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("kid", fake.currentKid());
        header.put("alg", "EdDSA");
        header.put("x-extra", 1);
        String ok = fake.mintToken(header, Map.of("sub", "agt_x"));
        assertThat(new String(Base64.getUrlDecoder().decode(ok.split("\\.")[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"kid\":\"" + fake.currentKid() + "\",\"alg\":\"EdDSA\",\"x-extra\":1}");
        assertThat(JWSObject.parse(ok).verify(new Ed25519Verifier(jwk(fake.currentKid()))))
                .isTrue();

        String none = fake.mintToken(Map.of("alg", "none"), Map.of("sub", "agt_x"));
        String hs = fake.mintToken(Map.of("alg", "HS256", "kid", fake.currentKid()), Map.of("sub", "agt_x"));
        assertThat(jdkVerifies(fake.signingKeys().get(0).publicKey(), none)).isTrue();
        assertThat(jdkVerifies(fake.signingKeys().get(0).publicKey(), hs)).isTrue();
    }

    @Test
    void aForeignKeySignsToo() throws Exception {
        KeyPair attacker = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String t = fake.mintToken(
                Map.of("alg", "EdDSA", "kid", fake.currentKid()), Map.of("sub", "x"), attacker.getPrivate());
        assertThat(jdkVerifies(attacker.getPublic(), t)).isTrue();
        assertThat(jdkVerifies(fake.signingKeys().get(0).publicKey(), t)).isFalse();
    }
}
