package run.getstack.sdk.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.proxy.ProxyRequest;

/** Issue 22: an intent claim is checked when it is built, naming the parameter. */
class IntentClaimTest {

    private static IntentClaim.Builder valid() {
        return IntentClaim.builder(IntentType.HTTP_CALL)
                .namedIntent("refund_order")
                .target("stripe")
                .action("post")
                .reason("charged twice");
    }

    @Test
    void aCompleteClaimKeepsItsFieldsAndUpperCasesAnHttpMethod() {
        IntentClaim c = valid().parameters("{\"order\":\"o_1\"}")
                .estimatedCost(1299, "USD")
                .requires("stripe", "identity:verified")
                .userSubject("customer 4411")
                .missionRef("ms_abc")
                .approvalLifetime(Duration.ofHours(24))
                .skipSimulation(true)
                .build();
        assertThat(c.action()).isEqualTo("POST");
        assertThat(c.estimatedCostCents()).contains(1299L);
        assertThat(c.requires()).containsExactly("stripe", "identity:verified");
        assertThat(c.approvalLifetime()).isEqualTo(IntentClaim.MAX_APPROVAL_LIFETIME);
        assertThat(c.skipSimulation()).isTrue();
        assertThat(valid().build().approvalLifetime()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void missingRequiredFieldsAreNamed() {
        assertThatThrownBy(() -> IntentClaim.builder(IntentType.HTTP_CALL)
                        .namedIntent("x")
                        .target("stripe")
                        .action("POST")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason:");
        assertThatThrownBy(() ->
                        IntentClaim.builder(IntentType.A2A_DISPATCH).reason("r").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("namedIntent:");
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> valid().approvalLifetime(Duration.ofSeconds(86_401)))
                .hasMessageStartingWith("approvalLifetime:");
        assertThatThrownBy(() -> valid().approvalLifetime(Duration.ZERO)).hasMessageStartingWith("approvalLifetime:");
        assertThatThrownBy(() -> valid().approvalLifetime(Duration.ofMillis(1500)))
                .hasMessageStartingWith("approvalLifetime:");
        assertThatThrownBy(() -> valid().parameters("[1,2]")).hasMessageStartingWith("parameters:");
        assertThatThrownBy(() -> valid().parameters("{nope")).hasMessageStartingWith("parameters:");
        assertThatThrownBy(() -> valid().estimatedCost(-1, "USD")).hasMessageStartingWith("estimatedCost:");
        assertThatThrownBy(() -> valid().estimatedCost(1, "usd")).hasMessageStartingWith("currency:");
        assertThatThrownBy(() -> valid().namedIntent("has space")).hasMessageStartingWith("namedIntent:");
        assertThatThrownBy(() -> valid().reason("line\nbreak")).hasMessageStartingWith("reason:");
        assertThatThrownBy(() -> valid().target(" ")).hasMessageStartingWith("target:");
        assertThatThrownBy(() -> valid().missionRef("ms/../x")).hasMessageStartingWith("missionRef:");
        assertThatThrownBy(() -> valid().requires("a".repeat(129))).hasMessageStartingWith("requires:");
    }

    @Test
    void aClaimForAProxyCallNamesItsServiceAndMethodAndLeavesTheQueryOut() {
        ProxyRequest r = ProxyRequest.builder("slack", "post", "https://slack.com/api/chat.postMessage?token=abc")
                .build();
        IntentClaim c =
                IntentClaim.forProxyCall(r, "post_update").reason("weekly").build();
        assertThat(c.type()).isEqualTo(IntentType.HTTP_CALL);
        assertThat(c.target()).isEqualTo("slack");
        assertThat(c.action()).isEqualTo("POST");
        assertThat(c.parameters()).contains("{\"url\":\"https://slack.com/api/chat.postMessage\"}");
    }

    @Test
    void aProxyRequestWithAnApprovalKeepsEverythingElse() {
        ProxyRequest r = ProxyRequest.builder("slack", "POST", "https://slack.com/api/x")
                .header("X-A", "1")
                .query("q", "2")
                .jsonBody("{}")
                .authorityRequestId("arq_1")
                .build();
        ProxyRequest a = r.withApprovalId("ia_123");
        assertThat(a.approvalId()).isEqualTo("ia_123");
        assertThat(r.approvalId()).isNull();
        assertThat(a.headers()).isEqualTo(r.headers());
        assertThat(a.query()).isEqualTo(r.query());
        assertThat(a.jsonBody()).isEqualTo("{}");
        assertThat(a.authorityRequestId()).isEqualTo("arq_1");
        assertThatThrownBy(() -> r.withApprovalId("ia 1")).hasMessageStartingWith("approvalId:");
    }

    @Test
    void aSkillClaimNamesTheSkillAndCarriesItsInputAsParameters() {
        IntentClaim c = IntentClaim.forSkill("skl_abc", java.util.Map.of("text", "hi"), "summarise_ticket")
                .reason("ticket 4411")
                .build();
        assertThat(c.type()).isEqualTo(IntentType.SKILL_INVOCATION);
        assertThat(c.target()).isEqualTo("skl_abc");
        assertThat(c.action()).isEqualTo("invoke");
        assertThat(c.parameters()).hasValue("{\"text\":\"hi\"}");
        assertThatThrownBy(() -> IntentClaim.forSkill("skl abc", java.util.Map.of(), "x"))
                .hasMessageStartingWith("skillId:");
        assertThatThrownBy(() -> IntentClaim.forSkill("skl_abc", java.util.Map.of("t", new Object()), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("input:");
        String big = "x".repeat(IntentClaim.MAX_PARAMETERS_LENGTH);
        assertThatThrownBy(() -> IntentClaim.forSkill("skl_abc", java.util.Map.of("t", big), "x"))
                .hasMessageStartingWith("parameters:");
    }
}
