package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Holds the streaming claims reader ({@link StreamedClaims}) to the tree reader ({@link PassportClaims#readTree}):
 * over every single change to a passport's claims (each member removed, duplicated, or replaced by each value of a
 * pool of wrong types, bounds and encodings; unknown members, nested duplicates, member orders, trailing content) and
 * thousands of random combinations, whenever the streaming reader accepts a payload the tree reader accepts it too,
 * with the same passport. It must never say yes where the tree reader says no, and it may leave a valid payload to the
 * tree reader only for the one documented reason (a constraint value that is a fraction or past a long).
 */
class PassportClaimsDifferentialTest {
    private static final String ISS = "https://api.getstack.run";
    private static final String AUD = "stack:passport";
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final long T = NOW.getEpochSecond();

    /** A JSON value that can hold what a JSON tree cannot: duplicate members, raw non-ASCII, any member order. */
    private sealed interface J permits Raw, Obj, Arr {
        String json();
    }

    private record Raw(String json) implements J {}

    private record Member(String name, J value) {}

    private record Obj(List<Member> members) implements J {
        @Override
        public String json() {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0; i < members.size(); i++) {
                Member m = members.get(i);
                sb.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(m.name)
                        .append("\":")
                        .append(m.value.json());
            }
            return sb.append('}').toString();
        }
    }

    private record Arr(List<J> items) implements J {
        @Override
        public String json() {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(items.get(i).json());
            }
            return sb.append(']').toString();
        }
    }

    private static Raw raw(Object json) {
        return new Raw(String.valueOf(json));
    }

    private static Raw str(String s) {
        return new Raw('"' + s + '"');
    }

    private static Obj obj(Object... nameValue) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            members.add(new Member((String) nameValue[i], (J) nameValue[i + 1]));
        }
        return new Obj(members);
    }

    private static Arr arr(J... items) {
        return new Arr(List.of(items));
    }

    private static Obj service(String id, String name, J constraints, String... scopes) {
        List<J> s = new ArrayList<>();
        for (String scope : scopes) {
            s.add(str(scope));
        }
        return obj(
                "service_id",
                str(id),
                "service_name",
                str(name),
                "scopes",
                new Arr(s),
                "credential_ref",
                str("cred_ref_" + name),
                "constraints",
                constraints);
    }

    /** The passport STACK issues today: every documented claim, empty constraint and identity-claim lists. */
    private static Obj plain() {
        return obj(
                "iss", str(ISS),
                "sub", str("agt_diff"),
                "aud", str(AUD),
                "iat", raw(T - 10),
                "nbf", raw(T - 10),
                "exp", raw(T + 3600),
                "jti", str("pp_diff"),
                "stk",
                        obj(
                                "operator_id", str("op_diff"),
                                "agent_id", str("agt_diff"),
                                "agent_name", str("diff"),
                                "services",
                                        arr(
                                                service("svc_conn_stripe", "stripe", arr(), "charges:read", "a:b"),
                                                service("svc_conn_slack", "slack", arr(), "chat:write")),
                                "identity_claims", arr(),
                                "delegation_depth", raw(0),
                                "session_id", str("ses_diff"),
                                "accountability", str("enforced"),
                                "intent_summary", str("differential"),
                                "intent_services", arr(str("stripe")),
                                "checkpoint_interval", raw(300),
                                "parent_jti", raw("null"),
                                "delegation_chain", arr()));
    }

    /** A delegated passport with constraints, identity claims, an audience list and unknown members at each level. */
    private static Obj rich() {
        Obj constraint = obj("path", str("method"), "op", str("in"), "value", arr(str("GET"), raw(5), raw(true)));
        Obj claim = obj(
                "claim_id", str("clm_1"),
                "provider", str("bankid_se"),
                "layer", str("humanity"),
                "claim_type", str("verified_human"),
                "assurance_level", str("high"),
                "verified_at", raw(T - 100),
                "expires_at", raw(T + 86_400),
                "extra", obj("nested", arr(obj("a", raw(1)), raw("null"))));
        return obj(
                "iss", str(ISS),
                "future_claim", obj("x", arr(raw(1), str("y")), "y", obj()),
                "sub", str("agt_diff"),
                "aud", arr(str("other"), str(AUD)),
                "iat", raw(T - 10),
                "exp", raw(T + 600),
                "jti", str("pp_child"),
                "stk",
                        obj(
                                "operator_id", str("op_diff"),
                                "agent_id", str("agt_diff"),
                                "mission_id", str("mis_1"),
                                "services",
                                        arr(service(
                                                "svc_conn_stripe",
                                                "stripe",
                                                arr(
                                                        constraint,
                                                        obj(
                                                                "path",
                                                                str("amount"),
                                                                "op",
                                                                str("lte"),
                                                                "value",
                                                                raw(5000))),
                                                "charges:read")),
                                "identity_claims", arr(claim),
                                "delegation_depth", raw(2),
                                "parent_jti", str("pp_parent"),
                                "delegation_chain", arr(str("pp_root"), str("pp_parent")),
                                "checkpoint_interval", raw(60)));
    }

    /** Values of every JSON type, at the bounds the readers check, and in the encodings they treat differently. */
    private static final List<J> POOL = List.of(
            raw("null"),
            str(""),
            str("x"),
            str(ISS),
            str(AUD),
            str("agt_diff"),
            str("é"),
            str("\\u00e9"),
            str("\\u0000"),
            raw(0),
            raw(-1),
            raw(1),
            raw(16),
            raw(17),
            raw("-0"),
            raw(2_147_483_647L),
            raw(2_147_483_648L),
            raw("9223372036854775808"),
            raw(9_999_999_999L),
            raw(10_000_000_000L),
            raw(T - 120),
            raw(T + 30),
            raw(T + 61),
            raw("1.5"),
            raw("1e3"),
            raw("1800000000.0"),
            raw(true),
            raw(false),
            arr(),
            arr(str("a")),
            arr(raw(1)),
            arr(raw("null")),
            arr(str(AUD)),
            arr(str(AUD), raw(1)),
            arr(obj()),
            arr(obj("path", str("p"), "op", str("eq"), "value", str("v"))),
            arr(obj("path", str("p"), "op", str("eq"), "value", raw("2.5"))),
            arr(obj("path", str("p"), "op", str("eq"), "value", obj())),
            obj(),
            obj("a", raw(1)),
            obj("a", raw(1), "a", raw(2)),
            arr(obj("a", raw(1), "a", raw(2))));

    /** Every path to a member or array element of a value, as alternating names and indexes. */
    private static void paths(J value, List<Object> prefix, List<List<Object>> out) {
        if (value instanceof Obj o) {
            for (Member m : o.members) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(m.name);
                out.add(p);
                paths(m.value, p, out);
            }
        } else if (value instanceof Arr a) {
            for (int i = 0; i < a.items.size(); i++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(i);
                out.add(p);
                paths(a.items.get(i), p, out);
            }
        }
    }

    /** Applies a change to the value at a path (the change gets null when the member is to be removed). */
    private static @Nullable J edit(J root, List<Object> path, int at, UnaryOperator<@Nullable J> change) {
        if (at == path.size()) {
            return change.apply(root);
        }
        Object step = path.get(at);
        if (root instanceof Obj o && step instanceof String name) {
            List<Member> members = new ArrayList<>();
            boolean done = false;
            for (Member m : o.members) {
                if (!done && m.name.equals(name)) {
                    done = true;
                    if (at + 1 == path.size() && change == DUPLICATE) {
                        members.add(m);
                        members.add(m);
                        continue;
                    }
                    J v = edit(m.value, path, at + 1, change);
                    if (v != null) {
                        members.add(new Member(m.name, v));
                    }
                } else {
                    members.add(m);
                }
            }
            return new Obj(members);
        }
        if (root instanceof Arr a && step instanceof Integer index && index < a.items.size()) {
            List<J> items = new ArrayList<>(a.items);
            J v = edit(items.get(index), path, at + 1, change);
            if (v == null) {
                items.remove((int) index);
            } else {
                items.set(index, v);
            }
            return new Arr(items);
        }
        return root;
    }

    private static final UnaryOperator<@Nullable J> DUPLICATE = v -> v;

    private static J shuffled(J value, Random random) {
        if (value instanceof Obj o) {
            List<Member> members = new ArrayList<>();
            for (Member m : o.members) {
                members.add(new Member(m.name, shuffled(m.value, random)));
            }
            Collections.shuffle(members, random);
            return new Obj(members);
        }
        if (value instanceof Arr a) {
            List<J> items = new ArrayList<>();
            for (J item : a.items) {
                items.add(shuffled(item, random));
            }
            return new Arr(items);
        }
        return value;
    }

    private static J addUnknown(J root, List<Object> objectPath, J value) {
        J changed = edit(root, objectPath, 0, v -> {
            if (v instanceof Obj o) {
                List<Member> members = new ArrayList<>(o.members);
                members.add(new Member("zz_unknown", value));
                return new Obj(members);
            }
            return v;
        });
        return changed == null ? root : changed;
    }

    private int accepted;
    private int deferredValid;
    private int compared;

    /** The one check: the streaming reader accepts only what the tree reader accepts, with the same passport. */
    private void check(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        VerifiedPassport fast = StreamedClaims.read(payload, "k1", ISS, AUD, NOW, SKEW);
        VerifiedPassport tree = null;
        PassportVerificationException refused = null;
        try {
            tree = PassportClaims.readTree(payload, "k1", ISS, AUD, NOW, SKEW);
        } catch (PassportVerificationException e) {
            refused = e;
        }
        compared++;
        if (fast == null && refused == null) {
            // the one kind of valid payload the streaming reader leaves to the tree reader: a constraint value that
            // is a fraction or an integer past a long (their text form is the tree's)
            deferredValid++;
            assertThat(hasNumberTheTreeRenders(tree))
                    .as("the streaming reader deferred a valid payload it is meant to read: %s", json)
                    .isTrue();
        }
        if (fast != null) {
            accepted++;
            assertThat(refused)
                    .as("the tree reader refuses what the streaming reader accepted: %s", json)
                    .isNull();
            assertThat(describe(fast)).as(json).isEqualTo(describe(tree));
        }
        // the combined reader answers exactly as the tree reader
        try {
            VerifiedPassport combined = PassportClaims.read(payload, "k1", ISS, AUD, NOW, SKEW);
            assertThat(refused).as(json).isNull();
            assertThat(describe(combined)).isEqualTo(describe(tree));
        } catch (PassportVerificationException e) {
            assertThat(refused).as(json).isNotNull();
            assertThat(e.reason()).isEqualTo(refused.reason());
            assertThat(e.getMessage()).isEqualTo(refused.getMessage());
        }
    }

    private static boolean hasNumberTheTreeRenders(@Nullable VerifiedPassport p) {
        if (p == null) {
            return false;
        }
        for (PassportService s : p.services()) {
            for (PassportConstraint c : s.constraints()) {
                for (String v : c.values()) {
                    if (v.matches("-?[0-9]+\\.[0-9]+(E-?[0-9]+)?|-?[0-9]{19,}|-?Infinity|NaN")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String describe(@Nullable VerifiedPassport p) {
        if (p == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(p.jti())
                .append('|')
                .append(p.agentId())
                .append('|')
                .append(p.operatorId())
                .append('|');
        sb.append(p.agentName())
                .append('|')
                .append(p.issuer())
                .append('|')
                .append(p.audience())
                .append('|');
        sb.append(p.issuedAt())
                .append('|')
                .append(p.notBefore())
                .append('|')
                .append(p.expiresAt())
                .append('|');
        for (PassportService s : p.services()) {
            sb.append(s).append(s.credentialRef()).append(s.constraints()).append(';');
        }
        sb.append('|')
                .append(p.intentSummary())
                .append('|')
                .append(p.intentServices())
                .append('|');
        sb.append(p.delegationDepth())
                .append('|')
                .append(p.sessionId())
                .append('|')
                .append(p.parentJti());
        sb.append('|')
                .append(p.delegationChain())
                .append('|')
                .append(p.accountability())
                .append('|');
        sb.append(p.checkpointInterval())
                .append('|')
                .append(p.keyId())
                .append('|')
                .append(p.identityClaims());
        sb.append('|').append(p.allows("stripe", "charges:read")).append(p.allows("svc_conn_slack", "chat:write"));
        return sb.toString();
    }

    @Test
    void theStreamingReaderAcceptsTheWellFormedPassportsItIsThereFor() {
        Random random = new Random(7);
        for (Obj base : List.of(plain(), rich())) {
            assertThat(StreamedClaims.read(bytes(base), "k1", ISS, AUD, NOW, SKEW))
                    .isNotNull();
            for (int i = 0; i < 20; i++) {
                J order = shuffled(base, random);
                assertThat(StreamedClaims.read(bytes(order), "k1", ISS, AUD, NOW, SKEW))
                        .as(order.json())
                        .isNotNull();
                check(order.json());
            }
        }
        assertThat(accepted).isEqualTo(40);
    }

    @Test
    void everySingleChangeGetsTheTreeReadersAnswer() {
        for (Obj base : List.of(plain(), rich())) {
            List<List<Object>> paths = new ArrayList<>();
            paths(base, List.of(), paths);
            for (List<Object> path : paths) {
                check(json(edit(base, path, 0, v -> null)));
                check(json(edit(base, path, 0, DUPLICATE)));
                for (J value : POOL) {
                    check(json(edit(base, path, 0, v -> value)));
                }
            }
            List<List<Object>> objects = new ArrayList<>();
            objects.add(List.of());
            for (List<Object> path : paths) {
                objects.add(path);
            }
            for (List<Object> path : objects) {
                for (J value : POOL) {
                    check(addUnknown(base, path, value).json());
                }
            }
            String json = base.json();
            for (String bad : List.of(
                    json + " {}",
                    json + "x",
                    json + ",",
                    "[" + json + "]",
                    "",
                    " ",
                    "null",
                    "1",
                    "\"s\"",
                    json.substring(0, json.length() - 1),
                    "\u0000" + json,
                    "\uFEFF" + json)) {
                check(bad);
            }
        }
        // the readers must have disagreed about nothing while each changed payload was actually compared, and the
        // streaming reader must have taken its share (changes that keep a passport valid, such as another scope)
        assertThat(compared).isEqualTo(8_106);
        assertThat(accepted).isGreaterThan(4_000);
    }

    @Test
    void randomCombinationsOfChangesGetTheTreeReadersAnswer() {
        Random random = new Random(20261130);
        for (Obj base : List.of(plain(), rich())) {
            List<List<Object>> paths = new ArrayList<>();
            paths(base, List.of(), paths);
            for (int round = 0; round < 1_500; round++) {
                J value = base;
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    List<Object> path = paths.get(random.nextInt(paths.size()));
                    int kind = random.nextInt(10);
                    J next;
                    if (kind == 0) {
                        next = edit(value, path, 0, v -> null);
                    } else if (kind == 1) {
                        next = edit(value, path, 0, DUPLICATE);
                    } else if (kind == 2) {
                        next = addUnknown(value, path, POOL.get(random.nextInt(POOL.size())));
                    } else {
                        J replacement = POOL.get(random.nextInt(POOL.size()));
                        next = edit(value, path, 0, v -> replacement);
                    }
                    value = next == null ? value : next;
                }
                check(shuffled(value, random).json());
            }
        }
        assertThat(compared).isEqualTo(3_000);
    }

    @Test
    void bothReadersDrawTheSameLinesAtTheListBoundsAndTheDelegationDepth() {
        for (int n : new int[] {PassportClaims.MAX_CONSTRAINTS, PassportClaims.MAX_CONSTRAINTS + 1}) {
            List<J> constraints = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                constraints.add(obj("path", str("p" + i), "op", str("eq"), "value", str("v")));
            }
            J changed = edit(plain(), List.of("stk", "services", 0, "constraints"), 0, v -> new Arr(constraints));
            assertAcceptedExactlyWhen(json(changed), n <= PassportClaims.MAX_CONSTRAINTS);
        }
        Obj claim = (Obj) ((Arr) member(member(rich(), "stk"), "identity_claims")).items.get(0);
        for (int n : new int[] {PassportClaims.MAX_IDENTITY_CLAIMS, PassportClaims.MAX_IDENTITY_CLAIMS + 1}) {
            J changed = edit(rich(), List.of("stk", "identity_claims"), 0, v -> new Arr(Collections.nCopies(n, claim)));
            assertAcceptedExactlyWhen(json(changed), n <= PassportClaims.MAX_IDENTITY_CLAIMS);
        }
        for (int depth : new int[] {PassportClaims.MAX_DELEGATION_DEPTH, PassportClaims.MAX_DELEGATION_DEPTH + 1}) {
            List<J> chain = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                chain.add(str("pp_" + i));
            }
            J changed = edit(rich(), List.of("stk", "delegation_depth"), 0, v -> raw(depth));
            changed = edit(changed, List.of("stk", "delegation_chain"), 0, v -> new Arr(chain));
            assertAcceptedExactlyWhen(json(changed), depth <= PassportClaims.MAX_DELEGATION_DEPTH);
        }
    }

    @Test
    void aStringPastTheLengthLimitIsRefusedAlsoWhereTheStreamingReaderSkipsIt() {
        // review: the streaming reader skipped an unknown member's string without reading it, and Jackson checks its
        // string limit (64 KiB) only on a string it reads, so the streaming reader accepted what the tree refused
        String big = "x".repeat(70_000);
        for (List<Object> at : List.<List<Object>>of(List.of(), List.of("stk"), List.of("stk", "services", 0))) {
            assertRefused(addUnknown(plain(), at, str(big)).json(), PassportVerificationException.Reason.MALFORMED);
            assertRefused(
                    addUnknown(plain(), at, arr(obj("a", str(big)))).json(),
                    PassportVerificationException.Reason.MALFORMED);
        }
        assertAcceptedExactlyWhen(
                addUnknown(plain(), List.of(), str("x".repeat(60_000))).json(), true);
    }

    private void assertRefused(String json, PassportVerificationException.Reason reason) {
        check(json);
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        assertThat(StreamedClaims.read(payload, "k1", ISS, AUD, NOW, SKEW)).isNull();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                PassportVerificationException.class,
                                () -> PassportClaims.read(payload, "k1", ISS, AUD, NOW, SKEW))
                        .reason())
                .isEqualTo(reason);
    }

    private void assertAcceptedExactlyWhen(String json, boolean valid) {
        check(json);
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        assertThat(StreamedClaims.read(payload, "k1", ISS, AUD, NOW, SKEW) != null)
                .as(json)
                .isEqualTo(valid);
        if (!valid) {
            assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(
                                    PassportVerificationException.class,
                                    () -> PassportClaims.read(payload, "k1", ISS, AUD, NOW, SKEW))
                            .reason())
                    .isEqualTo(PassportVerificationException.Reason.INVALID_CLAIM);
        }
    }

    private static J member(J object, String name) {
        for (Member m : ((Obj) object).members) {
            if (m.name.equals(name)) {
                return m.value;
            }
        }
        throw new AssertionError("no member " + name);
    }

    private static String json(@Nullable J value) {
        return value == null ? "" : value.json();
    }

    private static byte[] bytes(J value) {
        return value.json().getBytes(StandardCharsets.UTF_8);
    }
}
