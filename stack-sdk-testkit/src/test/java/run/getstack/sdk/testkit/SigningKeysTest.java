package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

class SigningKeysTest {
    @Test
    void jwksListsTheCurrentKeyWithAnRfc7638ThumbprintKid() throws Exception {
        try (FakeControlPlane fake =
                FakeControlPlane.builder().clock(TestClock.create()).start()) {
            Http.Reply r = new Http(fake.baseUrl(), null).get("/v1/.well-known/jwks.json");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Cache-Control")).isEqualTo("public, max-age=300");
            JsonNode key = r.json().path("keys").get(0);
            assertThat(key.path("kty").asText()).isEqualTo("OKP");
            assertThat(key.path("crv").asText()).isEqualTo("Ed25519");
            assertThat(key.path("alg").asText()).isEqualTo("EdDSA");
            assertThat(key.path("use").asText()).isEqualTo("sig");
            assertThat(key.has("d")).isFalse();
            String canon = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\""
                    + key.path("x").asText() + "\"}";
            String kid = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(canon.getBytes(StandardCharsets.UTF_8)));
            assertThat(key.path("kid").asText()).isEqualTo(kid).isEqualTo(fake.currentKid());
        }
    }

    @Test
    void passportSignatureVerifiesWithTheJwksKeyUsingOnlyTheJdk() throws Exception {
        TestClock clock = TestClock.create();
        try (FakeControlPlane fake = FakeControlPlane.builder().clock(clock).start()) {
            String agent = fake.seed().agent("signer", "standard");
            String token = fake.seed().passport(agent, "s").token();
            String[] parts = token.split("\\.");
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(fake.signingKeys().get(0).publicKey());
            v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        }
    }

    @Test
    void rotatedKeyStaysListedForTheGracePeriodThenTokensSignedWithItAreUnknownKey() {
        TestClock clock = TestClock.create();
        try (FakeControlPlane fake = FakeControlPlane.builder()
                .clock(clock)
                .signingKeyGrace(Duration.ofMinutes(10))
                .start()) {
            String agent = fake.seed().agent("rotor", "standard");
            String oldKid = fake.currentKid();
            String token = fake.seed().passport(agent, "s", new String[0]).token();
            String newKid = fake.rotateSigningKey();
            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(fake.signingKeys()).extracting(SigningKeyInfo::kid).containsExactly(newKid, oldKid);
            assertThat(fake.signingKeys().get(1).current()).isFalse();
            Http anon = new Http(fake.baseUrl(), null);
            assertThat(anon.post("/v1/passports/verify", Map.of("token", token))
                            .json()
                            .path("valid")
                            .asBoolean())
                    .isTrue();
            String fresh = fake.seed().passport(agent, "s").token();
            assertThat(fresh.split("\\.")[0]).isNotEqualTo(token.split("\\.")[0]);
            clock.advance(Duration.ofMinutes(10).minusSeconds(1));
            assertThat(fake.jwks()).contains(oldKid);
            clock.advance(Duration.ofSeconds(1));
            assertThat(fake.jwks()).doesNotContain(oldKid).contains(newKid);
            assertThat(anon.post("/v1/passports/verify", Map.of("token", token))
                            .json()
                            .path("reason")
                            .asText())
                    .isEqualTo("unknown_key");
        }
    }

    @Test
    void mintedTokensSupportAttackTests() throws Exception {
        TestClock clock = TestClock.create();
        try (FakeControlPlane fake = FakeControlPlane.builder().clock(clock).start()) {
            String agent = fake.seed().agent("target", "standard");
            String conn = fake.seed().connection("openai", "sk-x", "chat");
            fake.seed().grant(agent, conn, "chat");
            SeededPassport p = fake.seed().passport(agent, "s");
            Http anon = new Http(fake.baseUrl(), null);
            Map<String, Object> claims = fake.passportClaims(p.jti());
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "EdDSA");
            header.put("typ", "JWT");
            header.put("kid", fake.currentKid());

            PrivateKey attacker =
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
            String forged = fake.mintToken(header, claims, attacker);
            assertThat(anon.post("/v1/passports/verify", Map.of("token", forged))
                            .json()
                            .path("reason")
                            .asText())
                    .isEqualTo("bad_signature");

            Map<String, Object> none = new LinkedHashMap<>(header);
            none.put("alg", "none");
            assertThat(anon.post("/v1/passports/verify", Map.of("token", fake.mintToken(none, claims)))
                            .json()
                            .path("reason")
                            .asText())
                    .isEqualTo("malformed");

            Map<String, Object> otherKid = new LinkedHashMap<>(header);
            otherKid.put("kid", "not-a-kid");
            assertThat(anon.post("/v1/passports/verify", Map.of("token", fake.mintToken(otherKid, claims)))
                            .json()
                            .path("reason")
                            .asText())
                    .isEqualTo("unknown_key");

            // a genuine signature over a jti the store has never seen is refused on presentation
            Map<String, Object> unknownJti = new LinkedHashMap<>(claims);
            unknownJti.put("jti", "pp_minted00000000000000000");
            Http.Reply r =
                    new Http(fake).passport(fake.mintToken(header, unknownJti)).get("/v1/credentials/openai");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.reason()).isEqualTo("unknown_passport");

            // a truncated signature byte flip
            String[] parts = p.token().split("\\.");
            byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
            sig = Arrays.copyOf(sig, sig.length);
            sig[0] ^= 1;
            String flipped = parts[0] + "." + parts[1] + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
            Http.Reply cred = new Http(fake).passport(flipped).get("/v1/credentials/openai");
            assertThat(cred.status()).isEqualTo(401);
            assertThat(cred.reason()).isEqualTo("bad_signature");
            assertThat(cred.text()).doesNotContain("sk-x");
        }
    }
}
