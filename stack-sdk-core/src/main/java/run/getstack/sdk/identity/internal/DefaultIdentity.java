package run.getstack.sdk.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import run.getstack.sdk.identity.ClaimRevocation;
import run.getstack.sdk.identity.ClaimStatus;
import run.getstack.sdk.identity.Identity;
import run.getstack.sdk.identity.IdentityProvider;
import run.getstack.sdk.identity.Verification;
import run.getstack.sdk.identity.VerificationStatus;
import run.getstack.sdk.identity.VerifiedClaim;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.passport.IdentityClaim;

/** Internal, not for public use. {@link Identity} over the client's transport (wire protocol §10.2). */
public final class DefaultIdentity implements Identity {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_]{0,63}");

    /** Most claim types one verification asks for. */
    static final int MAX_CLAIM_TYPES = 4;

    /** Most entries read from one list (bounded untrusted input). */
    static final int MAX_ITEMS = 10_000;

    /** NumericDate bound, as the passport verifier's. */
    private static final long MAX_EPOCH_SECOND = 9_999_999_999L;

    private final Transport transport;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     */
    public DefaultIdentity(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public List<IdentityProvider> providers() {
        return transport.execute(ApiRequest.get("/v1/identity/providers").build(), r -> {
            JsonNode body = r.body();
            if (body == null || !body.isArray()) {
                throw new ResponseShapeException("identity providers are not a JSON array");
            }
            bounded(body, "providers");
            List<IdentityProvider> out = new ArrayList<>(body.size());
            for (JsonNode p : body) {
                out.add(new IdentityProvider(
                        JsonFields.text(p, "id"),
                        JsonFields.text(p, "name"),
                        JsonFields.text(p, "provider_key"),
                        JsonFields.optTextList(p, "supported_layers"),
                        JsonFields.optTextList(p, "claim_types"),
                        JsonFields.text(p, "assurance_level")));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<VerifiedClaim> claims() {
        return transport.execute(ApiRequest.get("/v1/identity/claims").build(), r -> {
            JsonNode arr = JsonFields.array(r.requireObject(), "claims");
            bounded(arr, "claims");
            List<VerifiedClaim> out = new ArrayList<>(arr.size());
            for (JsonNode c : arr) {
                out.add(new VerifiedClaim(claim(c), ClaimStatus.fromWire(JsonFields.text(c, "status"))));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public Verification startVerification(String providerKey, String... claimTypes) {
        key(providerKey, "provider_key");
        Objects.requireNonNull(claimTypes, "claimTypes");
        if (claimTypes.length > MAX_CLAIM_TYPES) {
            throw new IllegalArgumentException("requested_claims: at most " + MAX_CLAIM_TYPES + " claim types");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : claimTypes) {
            key(t, "requested_claims");
            types.add(t);
        }
        if (types.isEmpty()) {
            types.add("verified_human");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("provider_key", providerKey);
        ArrayNode requested = body.putArray("requested_claims");
        types.forEach(requested::add);
        return transport.execute(
                ApiRequest.post("/v1/identity/verifications", body)
                        .idempotencyKey("idv_start_" + UUID.randomUUID())
                        .build(),
                r -> verification(r.requireObject()));
    }

    @Override
    public Verification verification(String sessionId) {
        id(sessionId, "session_id");
        return transport.execute(
                ApiRequest.get("/v1/identity/verifications/" + sessionId).build(),
                r -> verification(r.requireObject()));
    }

    @Override
    public Verification completeVerification(Verification verification) {
        Objects.requireNonNull(verification, "verification");
        id(verification.sessionId(), "session_id");
        key(verification.providerKey(), "provider_key");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        // the Python SDK's complete_verification(provider, session_ref)
        body.put("provider", verification.providerKey());
        body.put("session_ref", verification.sessionId());
        return transport.execute(
                ApiRequest.post("/v1/identity/verifications/complete", body)
                        .idempotencyKey("idv_complete_" + verification.sessionId())
                        .build(),
                r -> verification(r.requireObject()));
    }

    @Override
    public ClaimRevocation revokeClaim(String claimId) {
        id(claimId, "claim_id");
        return transport.execute(
                ApiRequest.delete("/v1/identity/claims/" + claimId).build(), r -> {
                    JsonNode o = r.requireObject();
                    long count = JsonFields.optInteger(o, "revoked_count", 0);
                    if (count < 0 || count > Integer.MAX_VALUE) {
                        throw new ResponseShapeException("field 'revoked_count' is out of range");
                    }
                    return new ClaimRevocation(claimId, (int) count);
                });
    }

    private static Verification verification(JsonNode o) {
        String session = JsonFields.optText(o, "session_id");
        if (session == null) {
            session = JsonFields.text(o, "session_ref");
        }
        JsonNode claims = o.get("claims");
        List<IdentityClaim> created = new ArrayList<>();
        if (claims != null && !claims.isNull()) {
            if (!claims.isArray()) {
                throw new ResponseShapeException("field 'claims' is not an array");
            }
            bounded(claims, "claims");
            for (JsonNode c : claims) {
                created.add(claim(c));
            }
        }
        return new Verification(
                session,
                JsonFields.text(o, "provider_key"),
                JsonFields.optTextList(o, "requested_claims"),
                VerificationStatus.fromWire(JsonFields.text(o, "status")),
                JsonFields.optText(o, "redirect_url"),
                JsonFields.instant(o, "expires_at"),
                created);
    }

    /** A claim's documented members only: a claim never carries personal data, and nothing else is read. */
    static IdentityClaim claim(JsonNode c) {
        if (!c.isObject()) {
            throw new ResponseShapeException("a claim is not an object");
        }
        return new IdentityClaim(
                JsonFields.text(c, "claim_id"),
                JsonFields.text(c, "provider"),
                JsonFields.text(c, "layer"),
                JsonFields.text(c, "claim_type"),
                JsonFields.text(c, "assurance_level"),
                seconds(c, "verified_at"),
                seconds(c, "expires_at"));
    }

    private static Instant seconds(JsonNode c, String field) {
        long s = JsonFields.integer(c, field);
        if (s < 0 || s > MAX_EPOCH_SECOND) {
            throw new ResponseShapeException("field '" + field + "' is out of range");
        }
        return Instant.ofEpochSecond(s);
    }

    private static void bounded(JsonNode arr, String what) {
        if (arr.size() > MAX_ITEMS) {
            throw new ResponseShapeException("more than " + MAX_ITEMS + " " + what);
        }
    }

    private static void id(String value, String field) {
        Objects.requireNonNull(value, field);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
    }

    private static void key(String value, String field) {
        Objects.requireNonNull(value, field);
        if (!KEY.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + ": must be 1 to 64 characters of [a-z0-9_], starting with a" + " letter or digit");
        }
    }
}
