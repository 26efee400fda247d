package run.getstack.sdk.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import run.getstack.sdk.passport.internal.JwkSet;

class Ed25519VerifyWycheproofTest {

    static Stream<Arguments> vectors() throws IOException {
        JsonNode root;
        try (InputStream in = Ed25519VerifyWycheproofTest.class.getResourceAsStream("/wycheproof/ed25519_test.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode group : root.get("testGroups")) {
            String pk = group.get("publicKey").get("pk").asText();
            String jwk = group.get("publicKeyJwk").toString();
            for (JsonNode t : group.get("tests")) {
                out.add(Arguments.of(
                        t.get("tcId").asInt(),
                        t.get("comment").asText(),
                        pk,
                        jwk,
                        t.get("msg").asText(),
                        t.get("sig").asText(),
                        t.get("result").asText()));
            }
        }
        assertThat(out).hasSize(root.get("numberOfTests").asInt());
        return out.stream();
    }

    @ParameterizedTest(name = "tcId {0}: {1} -> {6}")
    @MethodSource("vectors")
    void everyWycheproofVectorGivesTheExpectedResult(
            int tcId, String comment, String pk, String jwk, String msg, String sig, String result) {
        HexFormat hex = HexFormat.of();
        boolean valid;
        try {
            Ed25519Verify key = Ed25519Verify.fromPublicKey(hex.parseHex(pk));
            valid = key.verify(hex.parseHex(msg), hex.parseHex(sig));
        } catch (IllegalArgumentException badKey) {
            valid = false;
        }
        assertThat(valid).as("tcId %d (%s)", tcId, comment).isEqualTo(result.equals("valid"));

        // the same key read from the group's JWK through the JWKS parser gives the same answer
        JwkSet set = JwkSet.parse("{\"keys\":[" + jwk + "]}");
        Ed25519Verify fromJwk = set.find("none");
        boolean validFromJwk = fromJwk != null && fromJwk.verify(hex.parseHex(msg), hex.parseHex(sig));
        assertThat(validFromJwk).as("tcId %d via JWK", tcId).isEqualTo(valid);
    }
}
