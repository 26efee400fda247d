package run.getstack.sdk.passport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 test key pair that signs compact JWS tokens (BouncyCastle's low-level Ed25519.sign). */
final class TestKey {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    final byte[] privateKey;
    final byte[] publicKey;
    final String x;
    final String kid;

    TestKey(byte[] privateKey) {
        this.privateKey = privateKey.clone();
        this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        this.x = B64.encodeToString(publicKey);
        this.kid = thumbprint(x);
    }

    /** A deterministic key for a seed. */
    static TestKey seeded(long seed) {
        byte[] sk = new byte[Ed25519.SECRET_KEY_SIZE];
        new Random(seed).nextBytes(sk);
        return new TestKey(sk);
    }

    /** RFC 7638 thumbprint of an Ed25519 JWK. */
    static String thumbprint(String x) {
        try {
            byte[] canonical =
                    ("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}").getBytes(StandardCharsets.UTF_8);
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    String jwk() {
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"" + kid
                + "\",\"use\":\"sig\",\"alg\":\"EdDSA\"}";
    }

    static String jwks(TestKey... keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            sb.append(i == 0 ? "" : ",").append(keys[i].jwk());
        }
        return sb.append("]}").toString();
    }

    byte[] sign(byte[] message) {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey, 0, message, 0, message.length, sig, 0);
        return sig;
    }

    /** Signs raw header and payload JSON text (so tests can craft duplicates and odd members). */
    String signRaw(String headerJson, String payloadJson) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + B64.encodeToString(sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    String sign(ObjectNode header, ObjectNode payload) {
        return signRaw(header.toString(), payload.toString());
    }

    /** The standard header: {"alg":"EdDSA","typ":"JWT","kid":kid}. */
    ObjectNode header() {
        ObjectNode h = JSON.createObjectNode();
        h.put("alg", "EdDSA").put("typ", "JWT").put("kid", kid);
        return h;
    }

    String sign(ObjectNode payload) {
        return sign(header(), payload);
    }

    static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A complete passport claim set as STACK issues it, valid from {@code now} for 15 minutes. */
    static ObjectNode claims(Instant now) {
        long iat = now.getEpochSecond();
        ObjectNode c = JSON.createObjectNode();
        c.put("iss", "https://api.getstack.run")
                .put("sub", "agt_research")
                .put("aud", "stack:passport")
                .put("iat", iat)
                .put("nbf", iat)
                .put("exp", iat + 900)
                .put("jti", "pp_8f3a");
        ObjectNode stk = c.putObject("stk");
        stk.put("operator_id", "op_acme").put("agent_id", "agt_research").put("agent_name", "research-agent");
        ArrayNode services = stk.putArray("services");
        ObjectNode stripe = services.addObject();
        stripe.put("service_id", "svc_conn_stripe1")
                .put("service_name", "stripe")
                .put("credential_ref", "cred_ref_1");
        stripe.putArray("scopes").add("charges:read").add("customers:read");
        stripe.putArray("constraints");
        ObjectNode slack = services.addObject();
        slack.put("service_id", "svc_conn_slack1").put("service_name", "slack").put("credential_ref", "cred_ref_2");
        slack.putArray("scopes").add("chat:write");
        slack.putArray("constraints");
        stk.putArray("identity_claims");
        stk.put("delegation_depth", 1)
                .put("session_id", "ses_1")
                .put("accountability", "enforced")
                .put("intent_summary", "Reconcile yesterday's charges")
                .put("checkpoint_interval", 300)
                .put("parent_jti", "pp_root");
        stk.putArray("intent_services").add("stripe").add("slack");
        stk.putArray("delegation_chain").add("pp_root");
        return c;
    }
}
