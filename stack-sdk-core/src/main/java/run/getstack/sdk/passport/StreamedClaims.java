package run.getstack.sdk.passport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.internal.StrictJson;

/**
 * The fast path of {@link PassportClaims}: one streaming pass over the payload that reads the claims straight into a
 * {@link VerifiedPassport.Builder}, with no JSON tree in between (the tree cost more than everything else a fresh
 * verification adds to the signature check).
 *
 * <p>It accepts only what the tree reader would accept with the same result: strict UTF-8 JSON, one object and
 * nothing after it, no duplicate member at any depth, every claim of the type the tree reader wants and every check
 * passed. On anything else it answers null and {@link PassportClaims} reads the payload again with the tree reader,
 * which stays the one authority for every refusal and its reason. A refusal therefore costs two parses and an
 * accepted passport one. {@code PassportClaimsDifferentialTest} holds the two readers to the same answers.
 */
final class StreamedClaims {
    /** Leaves the fast path (no stack trace: it only says "let the tree reader decide"). */
    private static final class Defer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Defer() {
            super(null, null, false, false);
        }
    }

    private static final int ISS = 1;
    private static final int SUB = 1 << 1;
    private static final int AUD = 1 << 2;
    private static final int IAT = 1 << 3;
    private static final int NBF = 1 << 4;
    private static final int EXP = 1 << 5;
    private static final int JTI = 1 << 6;
    private static final int STK = 1 << 7;
    private static final int REQUIRED = ISS | SUB | AUD | IAT | EXP | JTI | STK;

    private StreamedClaims() {}

    /**
     * Reads the claims as {@link PassportClaims#read} does, or defers to it.
     *
     * @return the passport, or null when the tree reader must decide
     */
    static @Nullable VerifiedPassport read(
            byte[] payload,
            @Nullable String kid,
            String expectedIssuer,
            String expectedAudience,
            Instant now,
            Duration skew) {
        try (JsonParser p = StrictJson.streaming(payload)) {
            if (p == null || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            VerifiedPassport.Builder b = new VerifiedPassport.Builder();
            b.keyId = kid;
            String stkAgentId = claims(p, b, expectedIssuer, expectedAudience);
            if (p.nextToken() != null || !stkAgentId.equals(b.agentId)) {
                return null;
            }
            Instant latest = now.plus(skew);
            if (!b.expiresAt.isAfter(b.issuedAt)
                    || !now.isBefore(b.expiresAt.plus(skew))
                    || (b.notBefore != null && b.notBefore.isAfter(latest))
                    || b.issuedAt.isAfter(latest)) {
                return null;
            }
            return new VerifiedPassport(b);
        } catch (IOException | Defer e) {
            return null;
        }
    }

    /** Reads the top-level members; returns {@code stk.agent_id}. */
    private static String claims(JsonParser p, VerifiedPassport.Builder b, String issuer, String audience)
            throws IOException {
        int seen = 0;
        @Nullable Set<String> others = null;
        String stkAgentId = "";
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String name = p.currentName();
            JsonToken v = next(p);
            switch (name) {
                case "iss" -> {
                    seen = once(seen, ISS);
                    b.issuer = nonEmpty(p, v);
                    if (!b.issuer.equals(issuer)) {
                        throw new Defer();
                    }
                }
                case "sub" -> {
                    seen = once(seen, SUB);
                    b.agentId = nonEmpty(p, v);
                }
                case "aud" -> {
                    seen = once(seen, AUD);
                    b.audience = audience(p, v, audience);
                }
                case "iat" -> {
                    seen = once(seen, IAT);
                    b.issuedAt = Instant.ofEpochSecond(epochSecond(p, v));
                }
                case "nbf" -> {
                    seen = once(seen, NBF);
                    b.notBefore = Instant.ofEpochSecond(epochSecond(p, v));
                }
                case "exp" -> {
                    seen = once(seen, EXP);
                    b.expiresAt = Instant.ofEpochSecond(epochSecond(p, v));
                }
                case "jti" -> {
                    seen = once(seen, JTI);
                    b.jti = nonEmpty(p, v);
                }
                case "stk" -> {
                    seen = once(seen, STK);
                    if (v != JsonToken.START_OBJECT) {
                        throw new Defer();
                    }
                    stkAgentId = stk(p, b);
                }
                default -> {
                    others = other(others, name);
                    skip(p, v);
                }
            }
        }
        if ((seen & REQUIRED) != REQUIRED) {
            throw new Defer();
        }
        return stkAgentId;
    }

    private static final int OPERATOR_ID = 1;
    private static final int AGENT_ID = 1 << 1;
    private static final int AGENT_NAME = 1 << 2;
    private static final int SERVICES = 1 << 3;
    private static final int IDENTITY_CLAIMS = 1 << 4;
    private static final int INTENT_SUMMARY = 1 << 5;
    private static final int INTENT_SERVICES = 1 << 6;
    private static final int SESSION_ID = 1 << 7;
    private static final int ACCOUNTABILITY = 1 << 8;
    private static final int PARENT_JTI = 1 << 9;
    private static final int DELEGATION_CHAIN = 1 << 10;
    private static final int DELEGATION_DEPTH = 1 << 11;
    private static final int CHECKPOINT_INTERVAL = 1 << 12;
    private static final int STK_REQUIRED = OPERATOR_ID | AGENT_ID | SERVICES;

    /** Reads {@code stk} (the parser is on its START_OBJECT); returns {@code stk.agent_id}. */
    private static String stk(JsonParser p, VerifiedPassport.Builder b) throws IOException {
        int seen = 0;
        @Nullable Set<String> others = null;
        String agentId = "";
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String name = p.currentName();
            JsonToken v = next(p);
            switch (name) {
                case "operator_id" -> {
                    seen = once(seen, OPERATOR_ID);
                    b.operatorId = nonEmpty(p, v);
                }
                case "agent_id" -> {
                    seen = once(seen, AGENT_ID);
                    agentId = nonEmpty(p, v);
                }
                case "agent_name" -> {
                    seen = once(seen, AGENT_NAME);
                    b.agentName = optional(p, v);
                }
                case "services" -> {
                    seen = once(seen, SERVICES);
                    b.services = objects(p, v, false, Integer.MAX_VALUE, StreamedClaims::service);
                }
                case "identity_claims" -> {
                    seen = once(seen, IDENTITY_CLAIMS);
                    b.identityClaims = List.copyOf(
                            objects(p, v, true, PassportClaims.MAX_IDENTITY_CLAIMS, StreamedClaims::identityClaim));
                }
                case "intent_summary" -> {
                    seen = once(seen, INTENT_SUMMARY);
                    b.intentSummary = optional(p, v);
                }
                case "intent_services" -> {
                    seen = once(seen, INTENT_SERVICES);
                    b.intentServices = strings(p, v);
                }
                case "session_id" -> {
                    seen = once(seen, SESSION_ID);
                    b.sessionId = optional(p, v);
                }
                case "accountability" -> {
                    seen = once(seen, ACCOUNTABILITY);
                    b.accountability = optional(p, v);
                }
                case "parent_jti" -> {
                    seen = once(seen, PARENT_JTI);
                    b.parentJti = optional(p, v);
                }
                case "delegation_chain" -> {
                    seen = once(seen, DELEGATION_CHAIN);
                    b.delegationChain = strings(p, v);
                }
                case "delegation_depth" -> {
                    seen = once(seen, DELEGATION_DEPTH);
                    b.delegationDepth = v == JsonToken.VALUE_NULL ? 0 : intValue(p, v);
                }
                case "checkpoint_interval" -> {
                    seen = once(seen, CHECKPOINT_INTERVAL);
                    if (v != JsonToken.VALUE_NULL) {
                        int seconds = intValue(p, v);
                        if (seconds <= 0) {
                            throw new Defer();
                        }
                        b.checkpointInterval = Duration.ofSeconds(seconds);
                    }
                }
                default -> {
                    others = other(others, name);
                    skip(p, v);
                }
            }
        }
        if ((seen & STK_REQUIRED) != STK_REQUIRED
                || b.delegationDepth < 0
                || b.delegationDepth > PassportClaims.MAX_DELEGATION_DEPTH
                || ((seen & DELEGATION_CHAIN) != 0 && b.delegationChain.size() != b.delegationDepth)
                || (b.delegationDepth > 0 && (seen & PARENT_JTI) != 0 && b.parentJti == null)) {
            throw new Defer();
        }
        return agentId;
    }

    /** Reads one object of a list claim; the parser is on its START_OBJECT. */
    @FunctionalInterface
    private interface ObjectReader<T> {
        T read(JsonParser p) throws IOException;
    }

    /**
     * Reads a list claim of objects, each with {@code read}, the one loop of {@code stk.services}, {@code
     * stk.services[].constraints} and {@code stk.identity_claims}. Defers on a non-array, a non-object entry, more
     * than {@code max} entries, or JSON null where the tree reader refuses it.
     */
    private static <T> List<T> objects(JsonParser p, JsonToken v, boolean nullIsEmpty, int max, ObjectReader<T> read)
            throws IOException {
        if (nullIsEmpty && v == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (v != JsonToken.START_ARRAY) {
            throw new Defer();
        }
        List<T> out = null;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.START_OBJECT) {
                throw new Defer();
            }
            if (out == null) {
                out = new ArrayList<>(4);
            } else if (out.size() == max) {
                throw new Defer();
            }
            out.add(read.read(p));
        }
        return out == null ? List.of() : out;
    }

    private static PassportService service(JsonParser p) throws IOException {
        int seen = 0;
        @Nullable Set<String> others = null;
        String id = "";
        String name = "";
        List<String> scopes = List.of();
        @Nullable String credentialRef = null;
        List<PassportConstraint> constraints = List.of();
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String member = p.currentName();
            JsonToken v = next(p);
            switch (member) {
                case "service_id" -> {
                    seen = once(seen, 1);
                    id = nonEmpty(p, v);
                }
                case "service_name" -> {
                    seen = once(seen, 1 << 1);
                    name = nonEmpty(p, v);
                }
                case "scopes" -> {
                    seen = once(seen, 1 << 2);
                    scopes = strings(p, v);
                }
                case "credential_ref" -> {
                    seen = once(seen, 1 << 3);
                    credentialRef = optional(p, v);
                }
                case "constraints" -> {
                    seen = once(seen, 1 << 4);
                    constraints = objects(p, v, true, PassportClaims.MAX_CONSTRAINTS, StreamedClaims::constraint);
                }
                default -> {
                    others = other(others, member);
                    skip(p, v);
                }
            }
        }
        if ((seen & 3) != 3) {
            throw new Defer();
        }
        return new PassportService(id, name, scopes, credentialRef, constraints);
    }

    private static PassportConstraint constraint(JsonParser p) throws IOException {
        int seen = 0;
        @Nullable Set<String> others = null;
        String path = "";
        String op = "";
        List<String> values = new ArrayList<>(2);
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String member = p.currentName();
            JsonToken v = next(p);
            switch (member) {
                case "path" -> {
                    seen = once(seen, 1);
                    path = nonEmpty(p, v);
                }
                case "op" -> {
                    seen = once(seen, 1 << 1);
                    op = nonEmpty(p, v);
                }
                case "value" -> {
                    seen = once(seen, 1 << 2);
                    if (v == JsonToken.START_ARRAY) {
                        for (JsonToken e = next(p); e != JsonToken.END_ARRAY; e = next(p)) {
                            values.add(scalar(p, e));
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        values.add(scalar(p, v));
                    }
                }
                default -> {
                    others = other(others, member);
                    skip(p, v);
                }
            }
        }
        if ((seen & 3) != 3) {
            throw new Defer();
        }
        return new PassportConstraint(path, op, values);
    }

    /** A constraint value as the tree reader renders it; a fraction defers (its text form is the tree's business). */
    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> p.getText();
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NUMBER_INT -> Long.toString(longValue(p));
            default -> throw new Defer();
        };
    }

    private static IdentityClaim identityClaim(JsonParser p) throws IOException {
        int seen = 0;
        @Nullable Set<String> others = null;
        String[] text = new String[5];
        long verifiedAt = 0;
        long expiresAt = 0;
        for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
            String member = p.currentName();
            JsonToken v = next(p);
            int slot = switch (member) {
                case "claim_id" -> 0;
                case "provider" -> 1;
                case "layer" -> 2;
                case "claim_type" -> 3;
                case "assurance_level" -> 4;
                case "verified_at" -> 5;
                case "expires_at" -> 6;
                default -> -1;
            };
            if (slot < 0) {
                others = other(others, member);
                skip(p, v);
                continue;
            }
            seen = once(seen, 1 << slot);
            if (slot == 5) {
                verifiedAt = epochSecond(p, v);
            } else if (slot == 6) {
                expiresAt = epochSecond(p, v);
            } else {
                text[slot] = nonEmpty(p, v);
            }
        }
        if (seen != 0x7f) {
            throw new Defer();
        }
        return new IdentityClaim(
                text[0],
                text[1],
                text[2],
                text[3],
                text[4],
                Instant.ofEpochSecond(verifiedAt),
                Instant.ofEpochSecond(expiresAt));
    }

    private static String audience(JsonParser p, JsonToken v, String expected) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            if (p.getText().equals(expected)) {
                return expected;
            }
            throw new Defer();
        }
        if (v != JsonToken.START_ARRAY) {
            throw new Defer();
        }
        boolean found = false;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.VALUE_STRING) {
                throw new Defer();
            }
            found |= p.getText().equals(expected);
        }
        if (!found) {
            throw new Defer();
        }
        return expected;
    }

    private static String nonEmpty(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new Defer();
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw new Defer();
        }
        return s;
    }

    private static @Nullable String optional(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw new Defer();
        }
        return p.getText();
    }

    private static List<String> strings(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (v != JsonToken.START_ARRAY) {
            throw new Defer();
        }
        List<String> out = null;
        for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
            if (t != JsonToken.VALUE_STRING) {
                throw new Defer();
            }
            if (out == null) {
                out = new ArrayList<>(4);
            }
            out.add(p.getText());
        }
        return out == null ? List.of() : out;
    }

    /** A NumericDate: an integer from 0 to {@link PassportClaims#MAX_EPOCH_SECOND}. */
    private static long epochSecond(JsonParser p, JsonToken v) throws IOException {
        long seconds = longValue(p, v);
        if (seconds < 0 || seconds > PassportClaims.MAX_EPOCH_SECOND) {
            throw new Defer();
        }
        return seconds;
    }

    private static int intValue(JsonParser p, JsonToken v) throws IOException {
        long value = longValue(p, v);
        if (value != (int) value) {
            throw new Defer();
        }
        return (int) value;
    }

    private static long longValue(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new Defer();
        }
        return longValue(p);
    }

    private static long longValue(JsonParser p) throws IOException {
        JsonParser.NumberType type = p.getNumberType();
        if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
            throw new Defer(); // past a long: the tree reader refuses it
        }
        return p.getLongValue();
    }

    /** Skips a member this reader does not use, refusing a duplicate member name inside it as the tree reader does. */
    private static void skip(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.START_OBJECT) {
            @Nullable Set<String> names = null;
            for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
                names = other(names, p.currentName());
                skip(p, next(p));
            }
        } else if (v == JsonToken.START_ARRAY) {
            for (JsonToken t = next(p); t != JsonToken.END_ARRAY; t = next(p)) {
                skip(p, t);
            }
        } else if (v == JsonToken.VALUE_STRING) {
            p.getText(); // reads the string whole: Jackson checks its length limit only on a string it reads
        }
    }

    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new Defer(); // the parser reports the end of input inside a value itself; this is only a guard
        }
        return t;
    }

    /** Marks a known member as read; a second one defers (the tree reader refuses the duplicate). */
    private static int once(int seen, int bit) {
        if ((seen & bit) != 0) {
            throw new Defer();
        }
        return seen | bit;
    }

    /** Remembers an unknown member's name; a second one defers (the tree reader refuses the duplicate). */
    private static Set<String> other(@Nullable Set<String> names, String name) {
        Set<String> set = names == null ? new HashSet<>(8) : names;
        if (!set.add(name)) {
            throw new Defer();
        }
        return set;
    }
}
