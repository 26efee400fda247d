package run.getstack.sdk.testkit.internal.skills;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.SkillHandler;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.audit.AuditService;
import run.getstack.sdk.testkit.internal.identity.IdentityService;
import run.getstack.sdk.testkit.internal.intents.IntentService;
import run.getstack.sdk.testkit.internal.passports.Passport;
import run.getstack.sdk.testkit.internal.passports.PassportChecks;
import run.getstack.sdk.testkit.internal.route.Call;
import run.getstack.sdk.testkit.internal.schema.JsonSchemas;
import run.getstack.sdk.testkit.internal.state.FakeState;
import run.getstack.sdk.testkit.internal.state.Services;

/**
 * Internal, not for public use. Skills, buyer side (wire protocol §10.3). An invocation runs its skill's handler at
 * once, outside the state lock; the run's length is what the handler advanced the fake's clock by plus the skill's
 * {@code takes}. The invocation reads {@code running} until its start plus that length, then {@code completed}; a
 * length over {@link #SEALED_LIMIT} reads {@code failed} with {@code SKILL_TIMEOUT} from start + 30 s on. The price is
 * held from the operator's wallet at invoke and given back when the run fails.
 */
public final class SkillService {
    /** STACK's sealed-skill limit (reference: /docs/security, "sealed skills ... 30 s timeout"). */
    public static final Duration SEALED_LIMIT = Duration.ofSeconds(30);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** A registered skill; fields guarded by the state lock. */
    public static final class Skill {
        final String id;
        final String name;
        /** Description, or null. */
        public @Nullable String description;
        /** Price per completed invocation. */
        public long priceCents;
        /** Required trust level, 0–3. */
        public int trustLevel;
        /** Agents allowed; empty = all. */
        public List<String> allowedAgents = List.of();
        /** Simulated run time. */
        public Duration takes = Duration.ZERO;
        /** The input's JSON Schema ({@code input_schema}), or null for any input. */
        public @Nullable JsonNode inputSchema;
        /** {@link #inputSchema}, compiled. */
        public @Nullable Schema inputValidator;
        /** The handler; default echoes. */
        public SkillHandler handler = input -> input;

        Skill(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** One invocation; guarded by the state lock. */
    static final class Invocation {
        final String id;
        final String skillId;
        final String operatorId;
        final @Nullable String agentId;
        final Instant createdAt;
        final long heldCents;
        /** When the run ends (or times out), once the handler returned. */
        @Nullable
        Instant finishesAt;

        @Nullable
        JsonNode output;

        @Nullable
        String errorCode;

        @Nullable
        String errorMessage;

        Invocation(
                String id,
                String skillId,
                String operatorId,
                @Nullable String agentId,
                Instant createdAt,
                long heldCents) {
            this.id = id;
            this.skillId = skillId;
            this.operatorId = operatorId;
            this.agentId = agentId;
            this.createdAt = createdAt;
            this.heldCents = heldCents;
        }
    }

    private final FakeState state;
    private final SkillStore store;
    private final Services services;

    SkillService(FakeState state, SkillStore store, Services services) {
        this.state = state;
        this.store = store;
        this.services = services;
    }

    /**
     * Registers a skill by name, or returns the one of that name. Under the lock.
     *
     * @param name the skill's name
     * @return its id
     */
    public String register(String name) {
        for (Skill s : store.skills.values()) {
            if (s.name.equals(name)) {
                return s.id;
            }
        }
        Skill s = new Skill(Wire.id("skl_"), name);
        store.skills.put(s.id, s);
        return s.id;
    }

    /**
     * A skill by id, for the test hooks. Under the lock.
     *
     * @param id the skill
     * @return it
     * @throws IllegalStateException when a reset removed it
     */
    public Skill require(String id) {
        Skill s = store.skills.get(id);
        if (s == null) {
            throw new IllegalStateException("skill " + id + " is gone (the fake was reset)");
        }
        return s;
    }

    /**
     * Sets an operator's wallet. Under the lock.
     *
     * @param operatorId operator
     * @param cents balance
     */
    public void wallet(String operatorId, long cents) {
        store.wallets.put(operatorId, cents);
    }

    private static ObjectNode skillJson(Skill s) {
        ObjectNode o = Json.object();
        o.put("id", s.id);
        o.put("name", s.name);
        o.put("description", s.description);
        o.put("price_cents", s.priceCents);
        o.put("required_trust_level", s.trustLevel);
        if (s.inputSchema == null) {
            o.putNull("input_schema");
        } else {
            o.set("input_schema", s.inputSchema.deepCopy());
        }
        o.put("status", "active");
        return o;
    }

    ObjectNode list(Map<String, String> query) {
        long page = Wire.queryLong(query, "page", 1, 1, Integer.MAX_VALUE);
        long limit = Wire.queryLong(query, "limit", 50, 1, 100);
        List<Skill> all = List.copyOf(store.skills.values());
        return Wire.page("skills", all, page, limit, SkillService::skillJson);
    }

    private Skill skill(String id) {
        Skill s = store.skills.get(id);
        if (s == null) {
            throw new ApiError(404, "SKILL_NOT_FOUND", "Skill not found", null);
        }
        return s;
    }

    ObjectNode get(String id) {
        return skillJson(skill(id));
    }

    /** What the lock-held first half of an invoke decided. */
    private record Started(Invocation invocation, SkillHandler handler, Duration takes, Map<String, Object> input) {}

    ObjectNode invoke(Call call) {
        Started started = state.locked(() -> start(call));
        Invocation inv = started.invocation();
        Instant before = state.now();
        JsonNode output = null;
        String code = null;
        String message = null;
        try {
            Object out = started.handler().handle(started.input());
            output = out == null ? null : Json.MAPPER.valueToTree(out);
        } catch (Exception | LinkageError e) {
            code = "SKILL_FAILED";
            message = "the skill failed: " + e.getClass().getSimpleName();
        }
        Duration took = Duration.between(before, state.now()).plus(started.takes());
        if (took.isNegative()) {
            took = Duration.ZERO;
        }
        JsonNode finalOutput = output;
        String finalCode = code;
        String finalMessage = message;
        Duration length = took;
        return state.locked(() -> {
            if (length.compareTo(SEALED_LIMIT) > 0) {
                inv.errorCode = "SKILL_TIMEOUT";
                inv.errorMessage = "the sealed skill ran longer than " + SEALED_LIMIT.toSeconds() + " s";
                inv.finishesAt = inv.createdAt.plus(SEALED_LIMIT);
            } else {
                inv.output = finalCode == null ? finalOutput : null;
                inv.errorCode = finalCode;
                inv.errorMessage = finalMessage;
                inv.finishesAt = inv.createdAt.plus(length);
            }
            if (inv.errorCode != null && inv.heldCents > 0) {
                store.wallets.merge(inv.operatorId, inv.heldCents, Long::sum);
            }
            return invocationJson(inv);
        });
    }

    private Started start(Call call) {
        String operatorId = call.operatorId();
        String agent = call.agentId();
        Skill s = skill(call.param(0));
        Body b = call.body(false);
        Body in = b.optObject("input");
        Map<String, Object> input = in == null ? Map.of() : Json.MAPPER.convertValue(in.node(), MAP);
        if (s.inputValidator != null) {
            // refused before any check that charges or consumes: a bad input costs nothing
            ArrayNode issues = JsonSchemas.validate(s.inputValidator, in == null ? Json.object() : in.node(), "input");
            if (!issues.isEmpty()) {
                ObjectNode d = Json.object();
                d.set("issues", issues);
                throw new ApiError(
                        400, "INVALID_REQUEST", "Invalid request: input does not meet the skill's input_schema", d);
            }
        }
        String token = b.optString("passport_token", 16 * 1024);
        if (token == null) {
            token = call.header("x-passport-token");
        }
        Passport p = null;
        if (token != null) {
            p = services.get(PassportChecks.class).present(operatorId, token, true, call.requestId());
            if (agent != null && !p.agentId.equals(agent)) {
                throw ApiError.reason(403, "FORBIDDEN", "Passport belongs to another agent", "passport_not_yours");
            }
        } else if (agent != null) {
            throw ApiError.invalid("passport_token", "is required for an agent principal");
        }
        String actor = p != null ? p.agentId : agent;
        if (actor != null && !s.allowedAgents.isEmpty() && !s.allowedAgents.contains(actor)) {
            ObjectNode d = Json.object();
            d.put("skill_id", s.id);
            d.put("agent_id", actor);
            throw new ApiError(403, "UNAUTHORIZED_SKILL_ACCESS", "The agent's skill access does not allow it", d);
        }
        int level = p == null ? 0 : services.get(IdentityService.class).trustLevel(p.claimIds);
        if (level < s.trustLevel) {
            ObjectNode d = Json.object();
            d.put("required_trust_level", s.trustLevel);
            d.put("trust_level", level);
            throw new ApiError(
                    403,
                    "TRUST_LEVEL_INSUFFICIENT",
                    "The skill needs trust level " + s.trustLevel + "; the passport gives " + level,
                    d);
        }
        long balance = store.wallets.getOrDefault(operatorId, 0L);
        if (s.priceCents > balance) {
            ObjectNode d = Json.object();
            d.put("price_cents", s.priceCents);
            d.put("balance_cents", balance);
            throw new ApiError(402, "INSUFFICIENT_CREDITS", "The wallet holds less than the skill's price", d);
        }
        if (p != null) {
            // an enforced passport needs an approved skill_invocation intent naming this skill, consumed by the call
            // (§14.3); checked last, so a call refused for another reason does not use up the approval
            services.get(IntentService.class)
                    .consume(p, b.optString("approval_id", 128), "skill_invocation", s.id, null, call.requestId());
        }
        store.wallets.put(operatorId, balance - s.priceCents);
        Invocation inv = new Invocation(Wire.id("sreq_"), s.id, operatorId, actor, state.now(), s.priceCents);
        store.invocations.put(inv.id, inv);
        ObjectNode d = Json.object();
        d.put("skill_id", s.id);
        d.put("invocation_id", inv.id);
        services.get(AuditService.class)
                .append(operatorId, actor, p == null ? null : p.jti, "skill.invoke", "success", call.requestId(), d);
        return new Started(inv, s.handler, s.takes, input);
    }

    ObjectNode invocation(String operatorId, @Nullable String agentId, String id) {
        Invocation inv = store.invocations.get(id);
        if (inv == null || !inv.operatorId.equals(operatorId) || (agentId != null && !agentId.equals(inv.agentId))) {
            throw new ApiError(404, "INVOCATION_NOT_FOUND", "Invocation not found", null);
        }
        return invocationJson(inv);
    }

    private ObjectNode invocationJson(Invocation inv) {
        ObjectNode o = Json.object();
        o.put("invocation_id", inv.id);
        o.put("skill_id", inv.skillId);
        Instant end = inv.finishesAt;
        boolean done = end != null && !state.now().isBefore(end);
        String status = end == null ? "pending" : !done ? "running" : inv.errorCode == null ? "completed" : "failed";
        o.put("status", status);
        if (done && inv.errorCode == null && inv.output != null) {
            o.set("output", inv.output);
        } else {
            o.putNull("output");
        }
        if (done && inv.errorCode != null) {
            ObjectNode e = o.putObject("error");
            e.put("code", inv.errorCode);
            e.put("message", inv.errorMessage);
        } else {
            o.putNull("error");
        }
        o.put("created_at", Wire.iso(inv.createdAt));
        if (end != null && done) {
            o.put("completed_at", Wire.iso(end));
        } else {
            o.putNull("completed_at");
        }
        return o;
    }
}
