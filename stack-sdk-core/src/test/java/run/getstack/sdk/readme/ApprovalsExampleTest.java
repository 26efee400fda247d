package run.getstack.sdk.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackGovernanceApprovalRequiredException;
import run.getstack.sdk.approval.GovernanceApproval;
import run.getstack.sdk.intent.IntentApproval;
import run.getstack.sdk.intent.IntentClaim;
import run.getstack.sdk.intent.StackIntentRejectedException;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.service.Grant;
import run.getstack.sdk.service.GrantRequest;
import run.getstack.sdk.skill.SkillInvocation;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** README's intent-approval and governance-approval snippets, run against the fake control plane. */
class ApprovalsExampleTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    @Test
    void anEnforcedAgentAsksForAnIntentWaitsForTheOwnerAndInvokesTheSkillOnce(FakeControlPlane fake) {
        String agentId = fake.seed().agent("ticket-bot", "enforced");
        fake.seed().grant(agentId, fake.seed().connection("slack", "xoxb-readme-not-real", "chat:write"), "chat:write");
        fake.seed().intentApprovalsRequired(true);
        String skillId = fake.skill("summarise")
                .handler(in -> Map.of("summary", "printer on fire, twice"))
                .id();
        Map<String, Object> input = Map.of("ticket", "4411");
        StringBuilder toThePerson = new StringBuilder();
        try (StackClient stack = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agentId)
                .missionRequest(MissionRequest.builder("summarise support tickets")
                        .services("slack")
                        .build())
                .clock(CLOCK)
                .build()) {

            // readme:begin intent-approval
            IntentApproval asked = stack.intents()
                    .submit(IntentClaim.forSkill(skillId, input, "summarise_ticket")
                            .reason("ticket 4411 needs a summary for the on-call engineer")
                            .build());
            toThePerson.append("approve intent ").append(asked.approvalId());

            fake.owner().approveIntent(asked.approvalId()); // in a test, the fake plays the person

            IntentApproval approved;
            try {
                // blocks this (virtual) thread; whenDecided(...) gives a CompletableFuture instead
                approved = stack.intents().await(asked.approvalId(), Duration.ofMinutes(30));
            } catch (StackIntentRejectedException e) {
                // the rejection revoked this passport (e.blockFuture(): the agent is blocked too): stop
                throw e;
            }
            SkillInvocation done = stack.skills().invokeAndWait(skillId, input, approved.approvalId()); // used up
            assertThat(done.succeeded()).isTrue();
            // readme:end intent-approval

            assertThat(toThePerson.toString()).startsWith("approve intent ia_");
            assertThat(fake.owner().intentStatus(approved.approvalId())).isEqualTo("consumed");
        }
    }

    @Test
    void aGovernanceGatedGrantIsResentWithItsApproval(FakeControlPlane fake) {
        String agentId = fake.seed().agent("ticket-bot", "enforced");
        String slack = fake.seed().connection("slack", "xoxb-readme-not-real", "chat:write");
        fake.seed().governanceApprovalsRequired(true);
        StringBuilder toThePerson = new StringBuilder();
        try (StackClient operator = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(CLOCK)
                .build()) {

            // readme:begin governance-approval
            GrantRequest request = GrantRequest.of(slack, List.of("chat:write"));
            Grant grant;
            try {
                grant = operator.services().grant(agentId, request);
            } catch (StackGovernanceApprovalRequiredException e) {
                // nothing changed; a person approves it at e.approvalUrl() (single use, 24 h)
                toThePerson.append("approve ").append(e.approvalUrl());
                fake.owner().approveGovernance(e.approvalId()); // in a test, the fake plays the person
                grant = operator.services().grant(agentId, request, GovernanceApproval.of(e.approvalId()));
            }
            assertThat(grant.scopes()).containsExactly("chat:write");
            // readme:end governance-approval

            assertThat(toThePerson.toString()).startsWith("approve https://");
        }
    }
}
