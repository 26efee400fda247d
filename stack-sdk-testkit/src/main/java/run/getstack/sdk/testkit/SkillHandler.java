package run.getstack.sdk.testkit;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a skill registered on the fake does ({@link FakeSkill#handler(SkillHandler)}): turns the invocation's input
 * into its output. It runs on the fake's HTTP thread, outside the fake's lock, when the invocation arrives. The time it
 * takes is measured on the fake's clock (a handler may advance a {@code TestClock} to play a slow skill), plus any
 * {@link FakeSkill#takes(java.time.Duration)}; more than STACK's 30-second sealed-skill limit fails the invocation
 * with {@code SKILL_TIMEOUT}. A handler that throws fails it with {@code SKILL_FAILED}.
 */
@FunctionalInterface
public interface SkillHandler {
    /**
     * Runs the skill.
     *
     * @param input the invocation's {@code input} object, as maps, lists, strings, numbers and booleans
     * @return the output: anything Jackson can write as JSON (a map, a list, a string, a number), or null
     * @throws Exception to fail the invocation
     */
    @Nullable
    Object handle(Map<String, Object> input) throws Exception;
}
