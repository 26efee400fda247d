package run.getstack.sdk.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import run.getstack.sdk.AgentFlowFixture;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.intent.IntentApproval;
import run.getstack.sdk.intent.IntentApprovalStatus;
import run.getstack.sdk.intent.IntentClaim;
import run.getstack.sdk.intent.Intents;
import run.getstack.sdk.intent.StackIntentApprovalRequiredException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * Issue 22: an enforced agent's skill invocation needs an approved {@code skill_invocation} intent for that skill,
 * against the fake control plane and its clock (wire protocol §14.3).
 */
@Timeout(60)
class SkillIntentApprovalTest extends AgentFlowFixture {
    private final AtomicInteger runs = new AtomicInteger();
    private String skill;

    @Override
    protected String seedAgent(FakeControlPlane fake) {
        String bot = seedEnforcedSlackAgent("summary-bot", "xoxb-skill-intent-test-77a1");
        this.skill = fake.skill("summarise")
                .handler(input -> {
                    runs.incrementAndGet();
                    return Map.of("summary", "short: " + input.get("text"));
                })
                .id();
        return bot;
    }

    @Override
    protected StackClient.Builder builder() {
        return onSlackMission("summarise tickets");
    }

    private IntentApproval submit(Map<String, ?> input) {
        return h.client
                .intents()
                .submit(IntentClaim.forSkill(skill, input, "summarise_ticket")
                        .reason("ticket 4411 needs a summary")
                        .build());
    }

    private int invokes() {
        return fake.journal().count("POST", "/v1/skills/" + skill + "/invoke");
    }

    @Test
    void anEnforcedAgentsSkillInvocationWithoutAnApprovalIsRefusedWithATypedErrorSayingToSubmitAnIntent() {
        assertThatThrownBy(() -> h.client.skills().invoke(skill, Map.of("text", "hello")))
                .isInstanceOfSatisfying(StackIntentApprovalRequiredException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("intent_approval_required");
                    assertThat(e.approvalId()).isNull();
                    assertThat(e.getMessage())
                            .contains("client.intents().submit(")
                            .contains("IntentClaim.forSkill(")
                            .contains("client.skills().invoke(skillId, input, approvalId)");
                });
        assertThatThrownBy(() -> h.client.skills().invokeAndWait(skill, Map.of("text", "hello")))
                .isInstanceOf(StackIntentApprovalRequiredException.class);
        assertThat(runs).hasValue(0);
    }

    @Test
    void submitThenTheOwnerApprovesThenTheInvocationSucceedsWithItsApprovalWhichIsThenConsumed() throws Exception {
        Map<String, String> input = Map.of("text", "printer on fire");
        IntentApproval pending = submit(input);
        assertThat(pending.status()).isEqualTo(IntentApprovalStatus.PENDING);
        assertThat(pending.intentType()).isEqualTo("skill_invocation");
        assertThat(pending.target()).isEqualTo(skill);
        assertThat(pending.action()).isEqualTo("invoke");
        // the person deciding sees the input the skill will get
        assertThat(fake.journal().entries("POST", "/v1/intents").get(0).body())
                .contains("\"parameters\":{\"text\":\"printer on fire\"}");

        CompletableFuture<IntentApproval> decision =
                h.client.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(10));
        h.scheduler.runDue();
        assertThat(decision).isNotDone();
        fake.owner().approveIntent(pending.approvalId());
        CLOCK.advance(Intents.DEFAULT_POLL_INTERVAL);
        h.scheduler.runDue();
        IntentApproval approved = decision.get();
        assertThat(approved.status()).isEqualTo(IntentApprovalStatus.APPROVED);

        SkillInvocation done = h.client.skills().invokeAndWait(skill, input, approved.approvalId());
        assertThat(done.succeeded()).isTrue();
        assertThat(done.output()).isEqualTo(Map.of("summary", "short: printer on fire"));
        assertThat(fake.journal()
                        .entries("POST", "/v1/skills/" + skill + "/invoke")
                        .get(0)
                        .body())
                .contains("\"approval_id\":\"" + approved.approvalId() + "\"");
        assertThat(fake.owner().intentStatus(approved.approvalId())).isEqualTo("consumed");
        assertThat(h.client.intents().get(approved.approvalId()).status()).isEqualTo(IntentApprovalStatus.CONSUMED);

        // single use: a second invocation under the same approval is refused, and the skill does not run again
        assertThatThrownBy(() -> h.client.skills().invoke(skill, input, approved.approvalId()))
                .isInstanceOfSatisfying(StackIntentApprovalRequiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo("intent_approval_consumed");
                    assertThat(e.approvalId()).isEqualTo(approved.approvalId());
                });
        assertThat(runs).hasValue(1);
    }

    @Test
    void aProxyCallApprovalCannotBeUsedForASkillNorASkillApprovalForAProxyCall() {
        ProxyRequest post = ProxyRequest.builder("slack", "POST", "https://slack.com/api/chat.postMessage")
                .jsonBody("{\"channel\":\"C1\",\"text\":\"hi\"}")
                .build();
        IntentApproval forProxy = h.client
                .intents()
                .submit(IntentClaim.forProxyCall(post, "post_update")
                        .reason("the weekly update")
                        .build());
        fake.owner().approveIntent(forProxy.approvalId());
        assertThatThrownBy(() -> h.client.skills().invoke(skill, Map.of(), forProxy.approvalId()))
                .isInstanceOfSatisfying(StackIntentApprovalRequiredException.class, e -> {
                    assertThat(e.reason()).isEqualTo("intent_approval_mismatch");
                    assertThat(e.approvalId()).isEqualTo(forProxy.approvalId());
                });
        assertThat(fake.owner().intentStatus(forProxy.approvalId())).isEqualTo("approved");

        IntentApproval forSkill = submit(Map.of());
        fake.owner().approveIntent(forSkill.approvalId());
        assertThatThrownBy(() -> h.client.proxy().call(post.withApprovalId(forSkill.approvalId())))
                .isInstanceOfSatisfying(
                        StackIntentApprovalRequiredException.class,
                        e -> assertThat(e.reason()).isEqualTo("intent_approval_mismatch"));
        assertThat(fake.owner().intentStatus(forSkill.approvalId())).isEqualTo("approved");
        assertThat(runs).hasValue(0);
    }

    @Test
    void anApprovalForOneSkillDoesNotCoverAnotherAndAPendingOneIsNotUsable() {
        String other = fake.skill("translate").id();
        IntentApproval a = submit(Map.of());
        assertThatThrownBy(() -> h.client.skills().invoke(skill, Map.of(), a.approvalId()))
                .isInstanceOfSatisfying(
                        StackIntentApprovalRequiredException.class,
                        e -> assertThat(e.reason()).isEqualTo("intent_approval_pending"));
        fake.owner().approveIntent(a.approvalId());
        assertThatThrownBy(() -> h.client.skills().invoke(other, Map.of(), a.approvalId()))
                .isInstanceOfSatisfying(
                        StackIntentApprovalRequiredException.class,
                        e -> assertThat(e.reason()).isEqualTo("intent_approval_mismatch"));
        assertThat(h.client.skills().invoke(skill, Map.of(), a.approvalId()).invocationId())
                .startsWith("sreq_");
    }

    @Test
    void aMalformedApprovalIdIsRefusedLocallyBeforeAnythingIsSent() {
        assertThatThrownBy(() -> h.client.skills().invoke(skill, Map.of(), "ia 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("approvalId:");
        assertThatThrownBy(() -> h.client.skills().invokeAndWait(skill, Map.of(), "", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("approvalId:");
        assertThat(invokes()).isZero();
    }
}
