package run.getstack.sdk.testkit.internal.passports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Jws;
import run.getstack.sdk.testkit.internal.crypto.Ed25519;
import run.getstack.sdk.testkit.internal.events.Detectors;
import run.getstack.sdk.testkit.internal.keys.SigningKey;
import run.getstack.sdk.testkit.internal.keys.SigningKeys;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Checks of a presented passport token (wire protocol §3.12) and {@code POST
 * /v1/passports/verify} (§3.5). Runs under the state lock.
 */
public final class PassportChecks {
    private final FakeState state;
    private final Services services;

    PassportChecks(FakeState state, Services services) {
        this.state = state;
        this.services = services;
    }

    private PassportService passports() {
        return services.get(PassportService.class);
    }

    /** Result of row 1 of §3.12: a verified token's jti, or a failure reason. */
    public record Checked(
            @Nullable ObjectNode claims, @Nullable String failure) {}

    /**
     * Row 1 of §3.12: signature, algorithm, audience and required claims.
     *
     * @param token the token
     * @return the claims, or a failure reason
     */
    public Checked checkSignature(String token) {
        Jws.Parsed parsed;
        try {
            parsed = Jws.parse(token);
        } catch (IllegalArgumentException e) {
            return new Checked(null, "malformed");
        }
        ObjectNode c = parsed.claims();
        if (!"EdDSA".equals(parsed.header().path("alg").asText())
                || !"stack:passport".equals(c.path("aud").asText())
                || !c.path("jti").isTextual()
                || !c.path("sub").isTextual()
                || !c.path("exp").isIntegralNumber()
                || !c.path("stk").isObject()) {
            return new Checked(null, "malformed");
        }
        String kid = parsed.header().path("kid").asText("");
        SigningKey key = services.get(SigningKeys.class).findLocked(kid);
        if (key == null) {
            return new Checked(null, "unknown_key");
        }
        if (!Ed25519.verify(key.pair.getPublic(), parsed.signingInput(), parsed.signature())) {
            return new Checked(null, "bad_signature");
        }
        return new Checked(c, null);
    }

    /**
     * §3.12 rows 1–5 for a presented passport token.
     *
     * @param operatorId the caller's operator
     * @param token the token
     * @param emitPostCheckout whether presenting a checked-out passport raises post_checkout_access
     * @param trace request id or null
     * @return the passport
     */
    public Passport present(String operatorId, String token, boolean emitPostCheckout, @Nullable String trace) {
        Checked ch = checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            String reason = Objects.requireNonNull(ch.failure());
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport token rejected: " + reason, reason);
        }
        if (!operatorId.equals(claims.path("stk").path("operator_id").asText())) {
            throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another operator", "passport_not_yours");
        }
        Passport p = passports().find(claims.path("jti").asText());
        if (p == null || !p.operatorId.equals(operatorId)) {
            throw ApiError.reason(401, "UNAUTHORIZED", "Passport unknown to this control plane", "unknown_passport");
        }
        if (p.checkedOutAt != null) {
            if (emitPostCheckout) {
                services.get(Detectors.class).postCheckout(p, trace);
            }
            throw checkedOut(p);
        }
        if (p.revoked) {
            throw revokedError(p);
        }
        if (!state.now().isBefore(p.expiresAt)) {
            throw expiredError(p);
        }
        return p;
    }

    /**
     * 403 {@code PASSPORT_CHECKED_OUT}.
     *
     * @param p passport
     * @return the error
     */
    public static ApiError checkedOut(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(403, "PASSPORT_CHECKED_OUT", "Passport has been checked out", d);
    }

    /**
     * 401 {@code PASSPORT_REVOKED}.
     *
     * @param p passport
     * @return the error
     */
    public static ApiError revokedError(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(401, "PASSPORT_REVOKED", "Passport has been revoked", d);
    }

    /**
     * 401 {@code PASSPORT_EXPIRED}.
     *
     * @param p passport
     * @return the error
     */
    public static ApiError expiredError(Passport p) {
        ObjectNode d = Json.object();
        d.put("jti", p.jti);
        return new ApiError(401, "PASSPORT_EXPIRED", "Passport has expired", d);
    }

    ObjectNode verify(Body b) {
        String token = b.reqString("token", Jws.MAX_TOKEN_CHARS * 2);
        String serviceId = b.optString("service_id", 128);
        ObjectNode o = Json.object();
        Checked ch = checkSignature(token);
        ObjectNode claims = ch.claims();
        if (claims == null) {
            o.put("valid", false);
            o.put("reason", ch.failure());
            return o;
        }
        Passport p = passports().find(claims.path("jti").asText());
        String reason = null;
        if (p != null) {
            if (p.checkedOutAt != null) {
                reason = "checked_out";
            } else if (p.revoked) {
                reason = "revoked";
            } else if (!state.now().isBefore(p.expiresAt)) {
                reason = "expired";
            }
        } else if (state.now().getEpochSecond() >= claims.path("exp").asLong()) {
            reason = "expired";
        }
        if (reason == null && serviceId != null) {
            boolean inScope = false;
            for (JsonNode s : claims.path("stk").path("services")) {
                if (serviceId.equals(s.path("service_id").asText())
                        || serviceId.equals(s.path("service_name").asText())) {
                    inScope = true;
                }
            }
            if (!inScope) {
                reason = "service_not_in_scope";
            }
        }
        if (reason != null) {
            o.put("valid", false);
            o.put("reason", reason);
            return o;
        }
        o.put("valid", true);
        // STACK live (stack_verify_passport): the agent's identity and scopes, after the live revocation check
        JsonNode stk = claims.path("stk");
        o.put("agent_id", claims.path("sub").asText());
        o.put("agent_name", stk.path("agent_name").asText(null));
        o.put("operator_id", stk.path("operator_id").asText(null));
        o.put(
                "mission_id",
                stk.path("mission_id").isTextual() ? stk.path("mission_id").asText() : null);
        com.fasterxml.jackson.databind.node.ArrayNode scopes = o.putArray("scopes");
        for (JsonNode s : stk.path("services")) {
            ObjectNode sc = scopes.addObject();
            sc.put("service_connection_id", s.path("service_id").asText());
            sc.put("service_name", s.path("service_name").asText());
            sc.set("scopes", s.path("scopes").deepCopy());
        }
        o.set("claims", claims);
        return o;
    }
}
