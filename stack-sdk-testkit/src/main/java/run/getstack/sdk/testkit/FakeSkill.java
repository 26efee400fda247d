package run.getstack.sdk.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Engine;
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

    @Override
    public String toString() {
        return "FakeSkill[" + id + "]";
    }
}
