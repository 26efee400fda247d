package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The endpoint tests' one HTTP helper: sends JSON with an operator key, member key, agent JWT or passport, returns
 * status, headers and parsed body (assertions on the answers are in {@link Replies}), and enrols agent keys to call
 * as the agent itself (wire protocol §2.4).
 */
final class Http {
    /**
     * Runs each async task on a new daemon thread. The common ForkJoinPool has parallelism 1 on a 2-core machine,
     * and on recent JDKs a task queued behind a blocked long-poll there never runs.
     */
    static final java.util.concurrent.Executor NEW_THREAD = task -> {
        Thread t = new Thread(task, "test-async");
        t.setDaemon(true);
        t.start();
    };

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final MediaType JSON = MediaType.get("application/json");
    static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(40))
            .retryOnConnectionFailure(false)
            .build();

    record Reply(int status, Map<String, String> headers, String text) {
        JsonNode json() {
            try {
                return MAPPER.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String code() {
            return json().path("error").path("code").asText();
        }

        String reason() {
            return json().path("error").path("details").path("reason").asText();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final String baseUrl;
    private String apiKey;
    private final Map<String, String> extra = new LinkedHashMap<>();

    Http(FakeControlPlane fake) {
        this(fake.baseUrl(), fake.operatorApiKey());
    }

    Http(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    Http key(String key) {
        Http h = new Http(baseUrl, key);
        h.extra.putAll(extra);
        return h;
    }

    Http header(String name, String value) {
        Http h = new Http(baseUrl, apiKey);
        h.extra.putAll(extra);
        h.extra.put(name, value);
        return h;
    }

    Http passport(String token) {
        return header("X-Passport-Token", token);
    }

    static String json(Object o) {
        try {
            return o instanceof String s ? s : MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, json(body));
    }

    Reply patch(String path, Object body) {
        return send("PATCH", path, json(body));
    }

    Reply send(String method, String path, String body) {
        Request.Builder b = new Request.Builder().url(baseUrl + path);
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        extra.forEach(b::header);
        b.method(
                method,
                body == null
                        ? (method.equals("POST") ? RequestBody.create(new byte[0], JSON) : null)
                        : RequestBody.create(body, JSON));
        try (Response r = CLIENT.newCall(b.build()).execute()) {
            Map<String, String> h = new LinkedHashMap<>();
            for (String n : r.headers().names()) {
                h.put(n.toLowerCase(java.util.Locale.ROOT), r.header(n));
            }
            return new Reply(r.code(), h, r.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ agent principals (wire protocol §2.4)

    /**
     * The JWK {@code x} of an Ed25519 key pair: the raw public key, base64url.
     *
     * @param kp the key pair
     * @return {@code x}
     */
    static String jwkX(KeyPair kp) {
        byte[] enc = kp.getPublic().getEncoded();
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Arrays.copyOfRange(enc, enc.length - 32, enc.length));
    }

    /**
     * Signs an enrolment challenge.
     *
     * @param kp the key pair
     * @param text the challenge
     * @return the signature, base64url
     */
    static String sign(KeyPair kp, String text) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(kp.getPrivate());
            s.update(text.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Enrols a public key for an agent through the challenge (this client's key must be allowed to).
     *
     * @param agentId the agent
     * @param kp the key pair
     * @param jwkExtra members added to the sent JWK (to send bad ones)
     * @return the enrol answer
     */
    Reply enroll(String agentId, KeyPair kp, Map<String, Object> jwkExtra) {
        JsonNode ch = post("/v1/agents/" + agentId + "/enrollment-challenge", Map.of())
                .json();
        Map<String, Object> jwk = new LinkedHashMap<>(Map.of("kty", "OKP", "crv", "Ed25519", "x", jwkX(kp)));
        jwk.putAll(jwkExtra);
        return post(
                "/v1/agents/" + agentId + "/enroll",
                Map.of(
                        "public_key", jwk,
                        "challenge_id", ch.path("challenge_id").asText(),
                        "signed_challenge", sign(kp, ch.path("challenge").asText())));
    }

    /**
     * An agent JWT valid for 60 s from {@code now}, signed by the key.
     *
     * @param fake the fake (it mints the token)
     * @param agentId {@code sub}
     * @param kp the agent's key pair
     * @param now the fake's time
     * @param overrides claims to replace or add
     * @return the compact JWS
     */
    static String agentJwt(
            FakeControlPlane fake, String agentId, KeyPair kp, Instant now, Map<String, Object> overrides) {
        long t = now.getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", "stack-sdk");
        claims.put("sub", agentId);
        claims.put("aud", "stack:agent");
        claims.put("iat", t);
        claims.put("nbf", t);
        claims.put("exp", t + 60);
        claims.put("jti", UUID.randomUUID().toString());
        claims.putAll(overrides);
        return fake.mintToken(Map.of("alg", "EdDSA", "typ", "JWT"), claims, kp.getPrivate());
    }

    /**
     * This client as the agent itself: enrols a fresh Ed25519 key for it and calls with an agent JWT.
     *
     * @param fake the fake
     * @param agentId the agent
     * @param now the fake's time
     * @return a client whose key is the agent JWT
     */
    Http asAgent(FakeControlPlane fake, String agentId, Instant now) {
        KeyPair kp;
        try {
            kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Replies.ok(enroll(agentId, kp, Map.of()), 200);
        return key(agentJwt(fake, agentId, kp, now, Map.of()));
    }
}
