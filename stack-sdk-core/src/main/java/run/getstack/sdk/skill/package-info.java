/**
 * Skills, the buyer side: list, read and invoke the skills of STACK's marketplace, and wait for their results
 * ({@code docs/wire-protocol.md} §10.3).
 *
 * <p>{@link run.getstack.sdk.skill.Skills} ({@code client.skills()}) invokes a skill under the agent's current passport
 * (when the client acts for an agent); an invocation runs asynchronously, and {@link
 * run.getstack.sdk.skill.Skills#invokeAndWait(String, java.util.Map)} polls it every second for up to 30 s, STACK's
 * limit for a sealed skill:
 *
 * <pre>{@code
 * SkillInvocation done = stack.skills().invokeAndWait("skl_summarise", Map.of("text", article));
 * if (done.succeeded()) { ... done.output() ... }
 * }</pre>
 *
 * <p>The refusals are typed: {@link run.getstack.sdk.skill.StackSkillAccessException} ({@code
 * UNAUTHORIZED_SKILL_ACCESS}), {@link run.getstack.sdk.skill.StackTrustLevelException} ({@code
 * TRUST_LEVEL_INSUFFICIENT}), {@link run.getstack.sdk.skill.StackInsufficientCreditsException} ({@code
 * INSUFFICIENT_CREDITS}).
 */
@NullMarked
package run.getstack.sdk.skill;

import org.jspecify.annotations.NullMarked;
