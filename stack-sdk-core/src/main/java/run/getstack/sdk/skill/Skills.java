package run.getstack.sdk.skill;

import java.time.Duration;
import java.util.Map;
import run.getstack.sdk.PagedIterable;

/**
 * The skills of STACK's marketplace, buyer side ({@code client.skills()}, wire protocol §10.3). Invocations carry the
 * agent's current passport when the client acts for an agent. Thread-safe; waits run on the calling thread (a virtual
 * thread is fine), on the client's clock, and an interrupt ends them at once with {@link
 * run.getstack.sdk.StackInterruptedException}. A malformed argument is refused locally with an {@link
 * IllegalArgumentException} naming the field, before anything is sent.
 */
public interface Skills {
    /** Default time between two reads of a running invocation: 1 s. */
    Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /** Default longest wait for an invocation's result: 30 s, STACK's limit for a sealed skill. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Shortest accepted poll interval: 100 ms. */
    Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);

    /** Longest accepted wait: 10 minutes. */
    Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Default page size of {@link #list()}. */
    int DEFAULT_PAGE_SIZE = 50;

    /** Largest page size. */
    int MAX_PAGE_SIZE = 100;

    /**
     * Lists the skills, {@link #DEFAULT_PAGE_SIZE} a page, lazily.
     *
     * @return the skills
     */
    PagedIterable<Skill> list();

    /**
     * Lists the skills lazily.
     *
     * @param pageSize 1 to {@link #MAX_PAGE_SIZE}
     * @return the skills
     */
    PagedIterable<Skill> list(int pageSize);

    /**
     * Reads one skill.
     *
     * @param skillId the skill ({@code skl_…})
     * @return the skill
     * @throws run.getstack.sdk.StackNotFoundException {@code SKILL_NOT_FOUND}
     */
    Skill get(String skillId);

    /**
     * Invokes a skill: returns as soon as the control plane accepted the invocation, usually before it finished.
     *
     * @param skillId the skill
     * @param input the input: a map of JSON values (maps, lists, strings, numbers, booleans, null), at most 1 MiB as
     *     JSON
     * @return the invocation as accepted
     * @throws StackSkillAccessException the agent's skill access does not allow this skill
     * @throws StackTrustLevelException the passport's identity claims give too low a trust level
     * @throws StackInsufficientCreditsException the wallet holds less than the skill's price
     */
    SkillInvocation invoke(String skillId, Map<String, ?> input);

    /**
     * Invokes a skill under an approved intent: what an enforced agent must do when its operator requires intent
     * approvals (wire protocol §14.3). Submit {@link run.getstack.sdk.intent.IntentClaim#forSkill(String, Map, String)}
     * through {@code client.intents()}, wait for the owner's approval, then pass its id here; the call consumes it,
     * so it is good for one invocation of that skill.
     *
     * @param skillId the skill
     * @param input the input (as {@link #invoke(String, Map)})
     * @param approvalId the approved intent's id ({@code ia_…}), sent as {@code approval_id}
     * @return the invocation as accepted
     * @throws run.getstack.sdk.intent.StackIntentApprovalRequiredException the approval is unknown, not (or no
     *     longer) approved, already used, or approves another kind of call or another skill
     * @throws StackSkillAccessException the agent's skill access does not allow this skill
     * @throws StackTrustLevelException the passport's identity claims give too low a trust level
     * @throws StackInsufficientCreditsException the wallet holds less than the skill's price (the approval is kept)
     */
    SkillInvocation invoke(String skillId, Map<String, ?> input, String approvalId);

    /**
     * Reads an invocation once.
     *
     * @param invocationId the invocation ({@code sreq_…})
     * @return its state now
     * @throws run.getstack.sdk.StackNotFoundException {@code INVOCATION_NOT_FOUND}
     */
    SkillInvocation invocation(String invocationId);

    /**
     * Waits for an invocation to finish, reading it every {@code pollInterval}.
     *
     * @param invocationId the invocation
     * @param timeout the longest wait, positive, at most {@link #MAX_TIMEOUT}
     * @param pollInterval the time between reads, {@link #MIN_POLL_INTERVAL} to {@code timeout}
     * @return the finished invocation ({@link SkillInvocation#isDone()}): completed, or failed with its error
     * @throws StackSkillTimeoutException when it has not finished in time (it may still finish later)
     */
    SkillInvocation awaitResult(String invocationId, Duration timeout, Duration pollInterval);

    /**
     * Invokes a skill and waits up to {@link #DEFAULT_TIMEOUT} for its result, reading it every {@link
     * #DEFAULT_POLL_INTERVAL}.
     *
     * @param skillId the skill
     * @param input the input (as {@link #invoke})
     * @return the finished invocation
     * @throws StackSkillTimeoutException when it has not finished in time
     */
    default SkillInvocation invokeAndWait(String skillId, Map<String, ?> input) {
        return invokeAndWait(skillId, input, DEFAULT_TIMEOUT);
    }

    /**
     * Invokes a skill and waits for its result, reading it every {@link #DEFAULT_POLL_INTERVAL} (or every {@code
     * timeout}, when shorter).
     *
     * @param skillId the skill
     * @param input the input (as {@link #invoke})
     * @param timeout the longest wait from the invocation on, positive, at most {@link #MAX_TIMEOUT}
     * @return the finished invocation
     * @throws StackSkillTimeoutException when it has not finished in time
     */
    SkillInvocation invokeAndWait(String skillId, Map<String, ?> input, Duration timeout);

    /**
     * Invokes a skill under an approved intent ({@link #invoke(String, Map, String)}) and waits up to {@link
     * #DEFAULT_TIMEOUT} for its result.
     *
     * @param skillId the skill
     * @param input the input (as {@link #invoke(String, Map)})
     * @param approvalId the approved intent's id ({@code ia_…})
     * @return the finished invocation
     * @throws run.getstack.sdk.intent.StackIntentApprovalRequiredException the approval cannot be used for this call
     * @throws StackSkillTimeoutException when it has not finished in time
     */
    default SkillInvocation invokeAndWait(String skillId, Map<String, ?> input, String approvalId) {
        return invokeAndWait(skillId, input, approvalId, DEFAULT_TIMEOUT);
    }

    /**
     * Invokes a skill under an approved intent ({@link #invoke(String, Map, String)}) and waits for its result, as
     * {@link #invokeAndWait(String, Map, Duration)}.
     *
     * @param skillId the skill
     * @param input the input (as {@link #invoke(String, Map)})
     * @param approvalId the approved intent's id ({@code ia_…})
     * @param timeout the longest wait from the invocation on, positive, at most {@link #MAX_TIMEOUT}
     * @return the finished invocation
     * @throws run.getstack.sdk.intent.StackIntentApprovalRequiredException the approval cannot be used for this call
     * @throws StackSkillTimeoutException when it has not finished in time
     */
    SkillInvocation invokeAndWait(String skillId, Map<String, ?> input, String approvalId, Duration timeout);
}
