package run.getstack.sdk.testkit.internal.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. The passport signing keys: rotation with a grace period (on the fake's clock), the
 * JWKS, and signing. Public methods lock; {@code Locked} ones expect the caller to hold the state lock.
 */
public final class SigningKeys {
    private final FakeState state;
    private final SigningKeyStore store;
    private volatile Duration keyGrace;

    SigningKeys(FakeState state, SigningKeyStore store, Duration keyGrace) {
        this.state = state;
        this.store = store;
        this.keyGrace = keyGrace;
    }

    /**
     * Starts signing with a new key; the old one is retired and kept for the grace period.
     *
     * @return the new kid
     */
    public String rotate() {
        return state.locked(() -> {
            Instant now = state.now();
            for (SigningKey k : store.keys) {
                if (k.retiredAt == null) {
                    k.retiredAt = now;
                }
            }
            KeyPair pair = Ed25519.generate();
            SigningKey k = new SigningKey(thumbprint(Ed25519.x(pair.getPublic())), pair, now);
            store.keys.add(0, k);
            return k.kid;
        });
    }

    /**
     * Sets the retired-key grace period.
     *
     * @param grace the grace
     */
    public void keyGrace(Duration grace) {
        this.keyGrace = grace;
    }

    private static String thumbprint(String x) {
        String canon = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Hashes.sha256(canon.getBytes(StandardCharsets.UTF_8)));
    }

    private List<SigningKey> listed() {
        Instant now = state.now();
        List<SigningKey> out = new ArrayList<>();
        for (SigningKey k : store.keys) {
            Instant retired = k.retiredAt;
            if (retired == null || now.isBefore(retired.plus(keyGrace))) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * A listed key by kid; under the lock.
     *
     * @param kid kid
     * @return the key, or null when not listed
     */
    public @Nullable SigningKey findLocked(String kid) {
        SigningKey key = null;
        for (SigningKey k : listed()) {
            if (k.kid.equals(kid)) {
                key = k;
            }
        }
        return key;
    }

    private SigningKey current() {
        return store.keys.get(0);
    }

    /**
     * Signs passport claims with the current key; under the lock.
     *
     * @param claims claims
     * @return the compact JWS
     */
    public String signLocked(ObjectNode claims) {
        SigningKey k = current();
        ObjectNode header = Json.object();
        header.put("alg", "EdDSA");
        header.put("typ", "JWT");
        header.put("kid", k.kid);
        return Jws.sign(header, claims, k.pair.getPrivate());
    }

    /**
     * The JWKS document.
     *
     * @return {@code {"keys":[...]}}
     */
    public ObjectNode jwks() {
        return state.locked(() -> {
            ObjectNode root = Json.object();
            ArrayNode keys = root.putArray("keys");
            for (SigningKey k : listed()) {
                // written by Nimbus, not by hand: the SDK's JWKS parsing meets another implementation's output
                keys.add(Json.MAPPER.valueToTree(Ed25519.nimbusPublicJwk(k.pair.getPublic(), k.kid)));
            }
            return root;
        });
    }

    /**
     * Listed signing keys: kid, created, retired (null for current), public key.
     *
     * @return rows
     */
    public List<Object[]> rows() {
        return state.locked(() -> {
            List<Object[]> rows = new ArrayList<>();
            for (SigningKey k : listed()) {
                rows.add(new Object[] {k.kid, k.createdAt, k.retiredAt, k.pair.getPublic()});
            }
            return rows;
        });
    }

    /**
     * Signs arbitrary header and claims with the current key (test hook).
     *
     * @param header header
     * @param claims claims
     * @return the token
     */
    public String mint(ObjectNode header, ObjectNode claims) {
        return state.locked(() -> Jws.sign(header, claims, current().pair.getPrivate()));
    }

    /**
     * Signs arbitrary header and claims with the given key (test hook).
     *
     * @param header header
     * @param claims claims
     * @param key private key
     * @return the token
     */
    public static String mint(ObjectNode header, ObjectNode claims, PrivateKey key) {
        return Jws.sign(header, claims, key);
    }

    /**
     * The current signing kid.
     *
     * @return kid
     */
    public String currentKid() {
        return state.locked(() -> current().kid);
    }
}
