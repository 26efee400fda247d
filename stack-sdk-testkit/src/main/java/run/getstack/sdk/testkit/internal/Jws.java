package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.text.ParseException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;

/**
 * Internal, not for public use. Compact JWS (EdDSA): signed with Nimbus JOSE+JWT (its {@link Ed25519Signer}, on
 * Tink), so the SDK's own hand-written JOSE code is checked against a different, well-kept implementation in every
 * flow test; parsed by hand (the fake's own checks of presented tokens).
 */
public final class Jws {
    /** Largest token the fake parses, in characters. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final Base64.Decoder D64 = Base64.getUrlDecoder();

    /**
     * A parsed, not yet verified token.
     *
     * @param header the header object
     * @param claims the claims object
     * @param signingInput the ASCII bytes of {@code header.payload}
     * @param signature the signature bytes
     */
    @SuppressWarnings("ArrayRecordComponent")
    public record Parsed(ObjectNode header, ObjectNode claims, byte[] signingInput, byte[] signature) {}

    private Jws() {}

    /**
     * Signs header and claims into a compact JWS.
     *
     * @param header the header
     * @param claims the claims
     * @param key the Ed25519 private key
     * @return the token
     */
    public static String sign(JsonNode header, JsonNode claims, PrivateKey key) {
        Base64URL h = Base64URL.encode(Json.write(header).getBytes(StandardCharsets.UTF_8));
        Payload payload = new Payload(Base64URL.encode(Json.write(claims).getBytes(StandardCharsets.UTF_8)));
        try {
            Ed25519Signer signer = new Ed25519Signer(Ed25519.nimbusKey(key));
            JWSHeader parsed = eddsaHeader(h);
            if (parsed != null) {
                // Nimbus builds the JWS; the parsed header and the payload keep their exact bytes
                JWSObject jws = new JWSObject(parsed, payload);
                jws.sign(signer);
                return jws.serialize();
            }
            // an attack header Nimbus would not build (alg none or HS256, a malformed member): Nimbus still signs
            String input = h + "." + payload.toBase64URL();
            Base64URL sig = signer.sign(new JWSHeader(JWSAlgorithm.EdDSA), input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + sig;
        } catch (JOSEException e) {
            throw new IllegalStateException("Nimbus could not sign: " + e.getMessage(), e);
        }
    }

    /** The header as Nimbus reads it, if it is an EdDSA/Ed25519 header Nimbus accepts; else null. */
    private static @Nullable JWSHeader eddsaHeader(Base64URL header) {
        try {
            JWSHeader parsed = JWSHeader.parse(header);
            JWSAlgorithm alg = parsed.getAlgorithm();
            return JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg) ? parsed : null;
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses a compact JWS without verifying it.
     *
     * @param token the token
     * @return the parts
     * @throws IllegalArgumentException if it is not three base64url parts of JSON objects
     */
    public static Parsed parse(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new IllegalArgumentException("token too long");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not three parts");
        }
        try {
            JsonNode h = Json.MAPPER.readTree(D64.decode(parts[0]));
            JsonNode c = Json.MAPPER.readTree(D64.decode(parts[1]));
            byte[] sig = D64.decode(parts[2]);
            if (!(h instanceof ObjectNode ho) || !(c instanceof ObjectNode co)) {
                throw new IllegalArgumentException("header or claims not a JSON object");
            }
            return new Parsed(ho, co, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), sig);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed token", e);
        }
    }
}
