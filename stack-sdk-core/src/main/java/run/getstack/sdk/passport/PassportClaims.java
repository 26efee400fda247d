package run.getstack.sdk.passport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.passport.internal.StrictJson;

/**
 * Reads and checks the claims of a passport whose signature has been verified. A well-formed passport is read in one
 * streaming pass ({@link StreamedClaims}); anything that pass does not accept as it stands is read here from a JSON
 * tree, and this reader alone decides every refusal and its reason.
 */
final class PassportClaims {
    /** Largest accepted delegation depth (STACK allows 4 hops; a margin keeps old verifiers working). */
    static final int MAX_DELEGATION_DEPTH = 16;

    /** NumericDate bounds: year 1970 .. about 2286, enough for any real token and far from Instant's limits. */
    static final long MAX_EPOCH_SECOND = 9_999_999_999L;

    private PassportClaims() {}

    static VerifiedPassport read(
            byte[] payload,
            @Nullable String kid,
            String expectedIssuer,
            String expectedAudience,
            Instant now,
            Duration skew) {
        VerifiedPassport streamed = StreamedClaims.read(payload, kid, expectedIssuer, expectedAudience, now, skew);
        if (streamed != null) {
            return streamed;
        }
        return readTree(payload, kid, expectedIssuer, expectedAudience, now, skew);
    }

    /** The tree reader: the authority for every refusal (and the oracle the streaming pass is tested against). */
    static VerifiedPassport readTree(
            byte[] payload,
            @Nullable String kid,
            String expectedIssuer,
            String expectedAudience,
            Instant now,
            Duration skew) {
        ObjectNode claims;
        try {
            claims = StrictJson.parseObject(payload);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.MALFORMED, "payload: " + e.getMessage());
        }
        VerifiedPassport.Builder b = new VerifiedPassport.Builder();
        b.keyId = kid;

        b.issuer = requiredString(claims, "iss");
        if (!b.issuer.equals(expectedIssuer)) {
            throw fail(Reason.WRONG_ISSUER, "iss is not the expected issuer " + expectedIssuer);
        }
        b.audience = audience(claims, expectedAudience);
        b.agentId = requiredString(claims, "sub");
        b.jti = requiredString(claims, "jti");

        b.expiresAt = requiredTime(claims, "exp");
        b.issuedAt = requiredTime(claims, "iat");
        b.notBefore = optionalTime(claims, "nbf");
        if (!b.expiresAt.isAfter(b.issuedAt)) {
            throw fail(Reason.INVALID_CLAIM, "exp is not after iat");
        }
        if (!now.isBefore(b.expiresAt.plus(skew))) {
            throw fail(Reason.EXPIRED, "passport expired at " + b.expiresAt);
        }
        Instant latest = now.plus(skew);
        if (b.notBefore != null && b.notBefore.isAfter(latest)) {
            throw fail(Reason.NOT_YET_VALID, "passport is not valid before " + b.notBefore);
        }
        if (b.issuedAt.isAfter(latest)) {
            throw fail(Reason.ISSUED_IN_FUTURE, "passport is issued in the future, at " + b.issuedAt);
        }

        JsonNode stkNode = claims.get("stk");
        if (stkNode == null || stkNode.isNull()) {
            throw fail(Reason.MISSING_CLAIM, "claim stk is missing");
        }
        if (!stkNode.isObject()) {
            throw fail(Reason.INVALID_CLAIM, "claim stk is not an object");
        }
        readStk(stkNode, b);
        return new VerifiedPassport(b);
    }

    private static void readStk(JsonNode stk, VerifiedPassport.Builder b) {
        b.operatorId = requiredString(stk, "operator_id", "stk.operator_id");
        String agentId = requiredString(stk, "agent_id", "stk.agent_id");
        if (!agentId.equals(b.agentId)) {
            throw fail(Reason.INVALID_CLAIM, "stk.agent_id differs from sub");
        }
        b.agentName = optionalString(stk, "agent_name", "stk.agent_name");
        JsonNode services = stk.get("services");
        if (services == null) {
            throw fail(Reason.MISSING_CLAIM, "claim stk.services is missing");
        }
        if (!services.isArray()) {
            throw fail(Reason.INVALID_CLAIM, "stk.services is not an array");
        }
        List<PassportService> list = new ArrayList<>(services.size());
        for (JsonNode s : services) {
            if (!s.isObject()) {
                throw fail(Reason.INVALID_CLAIM, "stk.services entry is not an object");
            }
            list.add(new PassportService(
                    requiredString(s, "service_id", "stk.services[].service_id"),
                    requiredString(s, "service_name", "stk.services[].service_name"),
                    stringList(s, "scopes", "stk.services[].scopes"),
                    optionalString(s, "credential_ref", "stk.services[].credential_ref"),
                    constraints(s.get("constraints"))));
        }
        b.services = list;
        b.identityClaims = identityClaims(stk.get("identity_claims"));
        b.intentSummary = optionalString(stk, "intent_summary", "stk.intent_summary");
        b.intentServices = stringList(stk, "intent_services", "stk.intent_services");
        b.sessionId = optionalString(stk, "session_id", "stk.session_id");
        b.accountability = optionalString(stk, "accountability", "stk.accountability");
        b.parentJti = optionalString(stk, "parent_jti", "stk.parent_jti");
        b.delegationChain = stringList(stk, "delegation_chain", "stk.delegation_chain");

        JsonNode depth = stk.get("delegation_depth");
        if (depth != null && !depth.isNull()) {
            if (!depth.isIntegralNumber() || !depth.canConvertToInt()) {
                throw fail(Reason.INVALID_CLAIM, "stk.delegation_depth is not an integer");
            }
            b.delegationDepth = depth.intValue();
        }
        if (b.delegationDepth < 0 || b.delegationDepth > MAX_DELEGATION_DEPTH) {
            throw fail(Reason.INVALID_CLAIM, "stk.delegation_depth is out of range");
        }
        if (stk.has("delegation_chain") && b.delegationChain.size() != b.delegationDepth) {
            throw fail(Reason.INVALID_CLAIM, "stk.delegation_chain length differs from stk.delegation_depth");
        }
        if (b.delegationDepth > 0 && stk.has("parent_jti") && b.parentJti == null) {
            throw fail(Reason.INVALID_CLAIM, "a delegated passport has no stk.parent_jti");
        }

        JsonNode interval = stk.get("checkpoint_interval");
        if (interval != null && !interval.isNull()) {
            if (!interval.isIntegralNumber() || !interval.canConvertToInt() || interval.intValue() <= 0) {
                throw fail(Reason.INVALID_CLAIM, "stk.checkpoint_interval is not a positive integer");
            }
            b.checkpointInterval = Duration.ofSeconds(interval.intValue());
        }
    }

    /** Most constraints read per service (STACK allows 32; a margin keeps old verifiers working). */
    static final int MAX_CONSTRAINTS = 64;

    /** Most identity claims read per passport. */
    static final int MAX_IDENTITY_CLAIMS = 64;

    /**
     * Reads {@code stk.services[].constraints}; the common empty or absent list costs nothing more than the check.
     */
    private static List<PassportConstraint> constraints(@Nullable JsonNode node) {
        String label = "stk.services[].constraints";
        return objects(node, label, MAX_CONSTRAINTS, c -> {
            JsonNode value = c.get("value");
            List<String> values = new ArrayList<>();
            if (value != null && value.isArray()) {
                for (JsonNode v : value) {
                    values.add(scalar(v, label + "[].value"));
                }
            } else if (value != null && !value.isNull()) {
                values.add(scalar(value, label + "[].value"));
            }
            return new PassportConstraint(
                    requiredString(c, "path", label + "[].path"), requiredString(c, "op", label + "[].op"), values);
        });
    }

    /**
     * Reads a list claim of objects, each with {@code read}, in order: empty when absent, null or {@code []}; refused
     * when not an array of at most {@code max} entries or when an entry is not an object.
     */
    private static <T> List<T> objects(@Nullable JsonNode node, String label, int max, Function<JsonNode, T> read) {
        if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
            return List.of();
        }
        if (!node.isArray() || node.size() > max) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not an array of at most " + max);
        }
        List<T> out = new ArrayList<>(node.size());
        for (JsonNode c : node) {
            if (!c.isObject()) {
                throw fail(Reason.INVALID_CLAIM, "claim " + label + " holds a non-object");
            }
            out.add(read.apply(c));
        }
        return out;
    }

    private static String scalar(JsonNode v, String label) {
        if (!v.isValueNode() || v.isNull()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not a string, number or boolean");
        }
        return v.asText();
    }

    /**
     * Reads {@code stk.identity_claims}, only the documented members (never anything else a token might hold); the
     * common empty or absent list costs nothing more than the check.
     */
    private static List<IdentityClaim> identityClaims(@Nullable JsonNode node) {
        String label = "stk.identity_claims";
        return List.copyOf(objects(node, label, MAX_IDENTITY_CLAIMS, c -> {
            Instant verified = epochSeconds(c, "verified_at", label + "[].verified_at");
            Instant expires = epochSeconds(c, "expires_at", label + "[].expires_at");
            return new IdentityClaim(
                    requiredString(c, "claim_id", label + "[].claim_id"),
                    requiredString(c, "provider", label + "[].provider"),
                    requiredString(c, "layer", label + "[].layer"),
                    requiredString(c, "claim_type", label + "[].claim_type"),
                    requiredString(c, "assurance_level", label + "[].assurance_level"),
                    verified,
                    expires);
        }));
    }

    private static Instant epochSeconds(JsonNode node, String name, String label) {
        JsonNode v = node.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not an integer NumericDate");
        }
        long seconds = v.longValue();
        if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static String audience(ObjectNode claims, String expected) {
        JsonNode aud = claims.get("aud");
        if (aud == null || aud.isNull()) {
            throw fail(Reason.MISSING_CLAIM, "claim aud is missing");
        }
        if (aud.isTextual()) {
            if (aud.asText().equals(expected)) {
                return expected;
            }
            throw fail(Reason.WRONG_AUDIENCE, "aud is not " + expected);
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (!a.isTextual()) {
                    throw fail(Reason.INVALID_CLAIM, "aud holds a non-string");
                }
            }
            for (JsonNode a : aud) {
                if (a.asText().equals(expected)) {
                    return expected;
                }
            }
            throw fail(Reason.WRONG_AUDIENCE, "aud does not contain " + expected);
        }
        throw fail(Reason.INVALID_CLAIM, "aud is neither a string nor an array");
    }

    private static String requiredString(JsonNode node, String name) {
        return requiredString(node, name, name);
    }

    private static String requiredString(JsonNode node, String name, String label) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw fail(Reason.MISSING_CLAIM, "claim " + label + " is missing");
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not a non-empty string");
        }
        return v.asText();
    }

    private static @Nullable String optionalString(JsonNode node, String name, String label) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not a string");
        }
        return v.asText();
    }

    private static List<String> stringList(JsonNode node, String name, String label) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + label + " is not an array");
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw fail(Reason.INVALID_CLAIM, "claim " + label + " holds a non-string");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static Instant requiredTime(ObjectNode claims, String name) {
        Instant t = optionalTime(claims, name);
        if (t == null) {
            throw fail(Reason.MISSING_CLAIM, "claim " + name + " is missing");
        }
        return t;
    }

    private static @Nullable Instant optionalTime(ObjectNode claims, String name) {
        JsonNode v = claims.get(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw fail(Reason.INVALID_CLAIM, "claim " + name + " is not an integer NumericDate");
        }
        long seconds = v.longValue();
        if (seconds < 0 || seconds > MAX_EPOCH_SECOND) {
            throw fail(Reason.INVALID_CLAIM, "claim " + name + " is out of range");
        }
        return Instant.ofEpochSecond(seconds);
    }

    private static PassportVerificationException fail(Reason reason, String message) {
        return new PassportVerificationException(reason, message);
    }
}
