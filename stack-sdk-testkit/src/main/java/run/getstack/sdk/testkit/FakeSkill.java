package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.schema.JsonSchemas;
import run.getstack.sdk.testkit.internal.skills.SkillService;

/**
 * A skill of the fake's marketplace ({@link FakeControlPlane#skill(String)}), listed and invoked over {@code
 * /v1/skills} (wire protocol §10.3). Each setter applies at once, also to a skill already invoked. Thread-safe.
 *
 * <pre>{@code
 * fake.skill("summarise").priceCents(25).requiredTrustLevel(1).handler(in -> Map.of("summary", "..."));
 * }</pre>
 */
public final class FakeSkill {
    private final Engine engine;
    private final String id;

    FakeSkill(Engine engine, String id) {
        this.engine = engine;
        this.id = id;
    }

    private SkillService skills() {
        return engine.skills();
    }

    /**
     * Returns the skill's id.
     *
     * @return {@code skl_…}
     */
    public String id() {
        return id;
    }

    /**
     * Sets what the skill does. Default: echoes its input.
     *
     * @param handler the handler
     * @return this
     */
    public FakeSkill handler(SkillHandler handler) {
        Objects.requireNonNull(handler, "handler");
        engine.locked(() -> skills().require(id).handler = handler);
        return this;
    }

    /**
     * Sets how long a run takes on the fake's clock, on top of what the handler itself advances it by: the
     * invocation is {@code running} until then, and fails with {@code SKILL_TIMEOUT} at 30 s when this is longer.
     *
     * @param duration not negative
     * @return this
     */
    public FakeSkill takes(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: must not be negative");
        }
        engine.locked(() -> skills().require(id).takes = duration);
        return this;
    }

    /**
     * Sets the price of one completed invocation, taken from the invoking operator's wallet ({@link
     * FakeControlPlane#walletCents(long)}); a wallet holding less answers 402 {@code INSUFFICIENT_CREDITS}.
     *
     * @param cents not negative; default 0 (free)
     * @return this
     */
    public FakeSkill priceCents(long cents) {
        if (cents < 0) {
            throw new IllegalArgumentException("cents: must not be negative");
        }
        engine.locked(() -> skills().require(id).priceCents = cents);
        return this;
    }

    /**
     * Sets the identity level the caller's passport must hold (its active claims: 1 humanity, 2 identity, 3
     * delegation); a lower one answers 403 {@code TRUST_LEVEL_INSUFFICIENT}.
     *
     * @param level 0 to 3; default 0
     * @return this
     */
    public FakeSkill requiredTrustLevel(int level) {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("level: must be 0 to 3");
        }
        engine.locked(() -> skills().require(id).trustLevel = level);
        return this;
    }

    /**
     * Restricts the skill to these agents (their skill access allows it); any other agent answers 403 {@code
     * UNAUTHORIZED_SKILL_ACCESS}. No call (the default) lets every agent use it.
     *
     * @param agentIds the agents
     * @return this
     */
    public FakeSkill allowedAgents(String... agentIds) {
        List<String> ids = List.of(agentIds);
        engine.locked(() -> skills().require(id).allowedAgents = ids);
        return this;
    }

    /**
     * Sets the description.
     *
     * @param description the text, or null
     * @return this
     */
    public FakeSkill description(@Nullable String description) {
        engine.locked(() -> skills().require(id).description = description);
        return this;
    }

    /**
     * Sets the JSON Schema the skill's input must meet (as {@code input_schema} of STACK's live {@code
     * stack_publish_skill}). The schema is checked against its draft's meta-schema now (draft-07 without {@code
     * $schema}); the skill then lists it as {@code input_schema}, and an invocation whose {@code input} does not meet it
     * is refused with 400 {@code INVALID_REQUEST} naming the input's bad paths, before anything is charged. Null (the
     * default) takes any input.
     *
     * @param schema the schema as maps, lists and values (a JSON object), or null
     * @return this
     * @throws IllegalArgumentException if the schema is not a valid JSON Schema, naming its bad paths
     */
    public FakeSkill inputSchema(@Nullable Map<String, ?> schema) {
        JsonNode node = schema == null ? null : Json.MAPPER.valueToTree(schema);
        Schema compiled;
        try {
            compiled = node == null ? null : JsonSchemas.compile("input_schema", node);
        } catch (ApiError e) {
            ObjectNode d = e.details();
            throw new IllegalArgumentException(
                    "schema: " + e.getMessage() + (d == null ? "" : " " + d.path("issues")), e);
        }
        engine.locked(() -> {
            SkillService.Skill s = skills().require(id);
            s.inputSchema = node;
            s.inputValidator = compiled;
            return s;
        });
        return this;
    }

    @Override
    public String toString() {
        return "FakeSkill[" + id + "]";
    }
}
