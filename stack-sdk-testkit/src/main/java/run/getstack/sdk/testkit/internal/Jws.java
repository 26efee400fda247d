package run.getstack.sdk.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;

/** Internal, not for public use. Compact JWS (EdDSA) built and parsed by hand. */
public final class Jws {
    /** Largest token the fake parses, in characters. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
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
        String input = B64.encodeToString(Json.write(header).getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        byte[] sig = Ed25519.sign(key, input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(sig);
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
