package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.internal.http.ErrorMapper;

/**
 * Internal, not for public use. An immutable set of Ed25519 verification keys by {@code kid}, read from a JWK set
 * ({@code {"keys":[...]}}).
 *
 * <p>Only keys with {@code kty} "OKP", {@code crv} "Ed25519", a non-empty string {@code kid}, an {@code x} that is
 * canonical base64url of 32 bytes forming a valid, non-small-order point, {@code use} absent or "sig" and {@code alg}
 * absent or "EdDSA" are kept; every other entry (RSA, EC, X25519, private keys, malformed ones) is ignored. A
 * {@code kid} listed twice is dropped entirely (ambiguous key selection fails closed).
 */
public final class JwkSet {
    private final Map<String, Ed25519Verify> keys;
    private final int ignored;

    private JwkSet(Map<String, Ed25519Verify> keys, int ignored) {
        this.keys = Collections.unmodifiableMap(keys);
        this.ignored = ignored;
    }

    /**
     * Parses a JWK set document.
     *
     * @param json the document (UTF-8 bytes)
     * @return the usable keys
     * @throws IllegalArgumentException if the document is not a strict JSON object with a {@code keys} array
     */
    public static JwkSet parse(byte[] json) {
        return fromObject(StrictJson.parseObject(json));
    }

    /**
     * Parses a JWK set document.
     *
     * @param json the document
     * @return the usable keys
     * @throws IllegalArgumentException if the document is not a strict JSON object with a {@code keys} array
     */
    public static JwkSet parse(String json) {
        return fromObject(StrictJson.parseObject(json));
    }

    private static JwkSet fromObject(ObjectNode root) {
        JsonNode list = root.get("keys");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("JWK set has no \"keys\" array");
        }
        Map<String, Ed25519Verify> keys = new LinkedHashMap<>();
        Set<String> duplicated = new HashSet<>();
        int ignored = 0;
        for (JsonNode jwk : list) {
            String kid = usableKid(jwk);
            Ed25519Verify key = kid == null ? null : usableKey(jwk);
            if (kid == null || key == null) {
                ignored++;
                continue;
            }
            if (keys.putIfAbsent(kid, key) != null) {
                duplicated.add(kid);
            }
        }
        for (String kid : duplicated) {
            keys.remove(kid);
            ignored++;
        }
        return new JwkSet(keys, ignored);
    }

    private static @Nullable String usableKid(JsonNode jwk) {
        if (!jwk.isObject()
                || !text(jwk, "kty", "OKP")
                || !text(jwk, "crv", "Ed25519")
                || jwk.has("d")
                || !optionalText(jwk, "use", "sig")
                || !optionalText(jwk, "alg", "EdDSA")) {
            return null;
        }
        JsonNode kid = jwk.get("kid");
        return kid != null && kid.isTextual() && !kid.asText().isEmpty() ? kid.asText() : null;
    }

    private static @Nullable Ed25519Verify usableKey(JsonNode jwk) {
        JsonNode x = jwk.get("x");
        if (x == null || !x.isTextual()) {
            return null;
        }
        try {
            return Ed25519Verify.fromPublicKey(Base64Url.decode(x.asText()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean text(JsonNode jwk, String name, String expected) {
        JsonNode v = jwk.get(name);
        return v != null && v.isTextual() && v.asText().equals(expected);
    }

    private static boolean optionalText(JsonNode jwk, String name, String expected) {
        return !jwk.has(name) || text(jwk, name, expected);
    }

    /**
     * Returns the key with this id.
     *
     * @param kid the key id
     * @return the key, or null when not in the set
     */
    public @Nullable Ed25519Verify find(String kid) {
        return keys.get(kid);
    }

    /**
     * Returns the id of the set's only key, for a token whose header names none.
     *
     * @return the kid, or null when the set holds more than one key (or none)
     */
    public @Nullable String soleKid() {
        return keys.size() == 1 ? keys.keySet().iterator().next() : null;
    }

    /**
     * Returns the id under which this set holds a key.
     *
     * @param key the key
     * @return the kid, or null when the set does not hold the key
     */
    public @Nullable String kidOf(Ed25519Verify key) {
        for (Map.Entry<String, Ed25519Verify> e : keys.entrySet()) {
            if (e.getValue().sameKey(key)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Returns the key ids, in document order.
     *
     * @return the ids
     */
    public Set<String> kids() {
        return keys.keySet();
    }

    /**
     * Tells whether the set holds no usable key.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** Shows the key ids (server-supplied, so scrubbed like any server text: this reaches log lines). */
    @Override
    public String toString() {
        return "JwkSet{kids=" + keys.keySet().stream().map(ErrorMapper::excerpt).toList() + ", ignored=" + ignored
                + '}';
    }
}
