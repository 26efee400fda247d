package run.getstack.sdk.testkit.internal.agentkeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.agents.Agent;
import run.getstack.sdk.testkit.internal.agents.AgentService;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;
import run.getstack.sdk.testkit.internal.pipeline.Principal;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Agent keys (wire protocol §2.3, §2.4): enrollment by signed challenge, and the
 * agent-signed JWT that authenticates an agent principal. Runs under the state lock.
 */
public final class AgentKeyService {
    private static final Duration CHALLENGE_TTL = Duration.ofMinutes(5);
    private static final Duration JWT_LEEWAY = Duration.ofSeconds(30);
    private static final Duration JTI_MEMORY = Duration.ofSeconds(90);

    private final FakeState state;
    private final ChallengeStore store;
    private final Services services;

    AgentKeyService(FakeState state, ChallengeStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    private AuditService audit() {
        return services.get(AuditService.class);
    }

    ObjectNode challenge(Agent a) {
        byte[] raw = new byte[32];
        Wire.randomBytes(raw);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ChallengeStore.Challenge c = new ChallengeStore.Challenge(
                Wire.id("ech_"), a.id, text, state.now().plus(CHALLENGE_TTL));
        store.challenges.put(c.id(), c);
        ObjectNode o = Json.object();
        o.put("challenge_id", c.id());
        o.put("challenge", c.challenge());
        o.put("expires_at", Wire.iso(c.expiresAt()));
        return o;
    }

    void enroll(String operatorId, Agent a, Body b, String trace) {
        Body key = b.optObject("public_key");
        String challengeId = b.reqString("challenge_id", 128);
        String signed = b.reqString("signed_challenge", 256);
        if (key == null) {
            throw ApiError.invalid("public_key", "is required");
        }
        if (key.has("d")) {
            throw ApiError.reason(400, "INVALID_REQUEST", "A private key was sent", "private_key_sent");
        }
        ChallengeStore.Challenge c = store.challenges.get(challengeId);
        if (c == null || !c.agentId().equals(a.id)) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Unknown challenge", "challenge_unknown");
        }
        if (store.used.contains(c.id())) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge already used", "challenge_used");
        }
        if (!state.now().isBefore(c.expiresAt())) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge expired", "challenge_expired");
        }
        String x = key.optString("x", 64);
        java.security.PublicKey pk;
        try {
            if (!"OKP".equals(key.optString("kty", 8)) || !"Ed25519".equals(key.optString("crv", 16)) || x == null) {
                throw new IllegalArgumentException("not an Ed25519 JWK");
            }
            pk = Ed25519.fromRaw(Base64.getUrlDecoder().decode(x));
        } catch (IllegalArgumentException | ApiError e) {
            throw ApiError.reason(400, "INVALID_REQUEST", "public_key is not an Ed25519 JWK", "bad_public_key");
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(signed);
        } catch (IllegalArgumentException e) {
            throw ApiError.reason(400, "INVALID_REQUEST", "signed_challenge is not base64url", "bad_signature");
        }
        if (!Ed25519.verify(pk, c.challenge().getBytes(StandardCharsets.US_ASCII), sig)) {
            throw ApiError.reason(400, "INVALID_REQUEST", "Challenge signature does not verify", "bad_signature");
        }
        store.used.add(c.id());
        a.publicKey = pk;
        a.publicX = x;
        a.seenJtis.clear();
        audit().append(operatorId, a.id, null, "agent.enroll", "success", trace, null);
    }

    private static ApiError jwtRejected(String reason) {
        return ApiError.reason(401, "UNAUTHORIZED", "Agent token rejected: " + reason, reason);
    }

    /**
     * Authenticates an agent-signed JWT (§2.4 checks 1–7); under the state lock.
     *
     * @param token the JWT
     * @return the agent principal
     */
    public Principal authenticate(String token) {
        Jws.Parsed parsed;
        try {
            parsed = Jws.parse(token);
        } catch (IllegalArgumentException e) {
            throw jwtRejected("malformed");
        }
        if (!"EdDSA".equals(parsed.header().path("alg").asText())) {
            throw jwtRejected("malformed");
        }
        ObjectNode c = parsed.claims();
        JsonNode aud = c.path("aud");
        boolean audOk = "stack:agent".equals(aud.asText());
        if (aud.isArray()) {
            for (JsonNode n : aud) {
                audOk |= "stack:agent".equals(n.asText());
            }
        }
        if (!audOk) {
            throw jwtRejected("bad_audience");
        }
        if (!"stack-sdk".equals(c.path("iss").asText())) {
            throw jwtRejected("bad_issuer");
        }
        Agent a = services.get(AgentService.class).find(c.path("sub").asText(""));
        java.security.PublicKey pk = a == null ? null : a.publicKey;
        if (a == null || pk == null) {
            throw jwtRejected("unknown_agent");
        }
        if (!Ed25519.verify(pk, parsed.signingInput(), parsed.signature())) {
            throw jwtRejected("bad_signature");
        }
        JsonNode exp = c.path("exp");
        JsonNode iat = c.path("iat");
        JsonNode nbf = c.path("nbf");
        JsonNode jti = c.path("jti");
        if (!exp.isIntegralNumber()
                || !iat.isIntegralNumber()
                || !nbf.isIntegralNumber()
                || !jti.isTextual()
                || jti.asText().isEmpty()
                || jti.asText().length() > 128) {
            throw jwtRejected("malformed");
        }
        if (exp.asLong() - iat.asLong() > 60) {
            throw jwtRejected("lifetime_too_long");
        }
        Instant now = state.now();
        if (!now.isBefore(Instant.ofEpochSecond(exp.asLong()).plus(JWT_LEEWAY))) {
            throw jwtRejected("expired");
        }
        if (now.isBefore(Instant.ofEpochSecond(nbf.asLong()).minus(JWT_LEEWAY))) {
            throw jwtRejected("not_yet_valid");
        }
        a.seenJtis.values().removeIf(t -> !now.isBefore(t.plus(JTI_MEMORY)));
        if (a.seenJtis.containsKey(jti.asText())) {
            throw jwtRejected("replay");
        }
        a.seenJtis.put(jti.asText(), now);
        if (!a.status.equals("active")) {
            throw ApiError.reason(403, "FORBIDDEN", "Agent is suspended", "agent_suspended");
        }
        return new Principal(a.operatorId, a.id);
    }
}
