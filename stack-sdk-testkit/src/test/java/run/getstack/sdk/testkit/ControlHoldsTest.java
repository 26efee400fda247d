package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Control policies and review holds in front of {@code POST /v1/proxy} (wire protocol §15), over raw HTTP. */
class ControlHoldsTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    MockWebServer upstream;
    String agent;
    String stripe;
    SeededPassport passport;

    @BeforeEach
    void setUp(FakeControlPlane fake) throws Exception {
        upstream = new MockWebServer();
        upstream.start();
        agent = fake.seed().agent("payer");
        stripe = fake.seed().connection("stripe", "sk-upstream-stripe-secret", "charges");
        fake.seed().grant(agent, stripe, "charges");
        passport = fake.seed().passport(agent, "pay invoices", "stripe");
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    private String payment(long amount, String arid) {
        return "{\"service\":\"stripe\",\"method\":\"POST\",\"url\":\"" + upstream.url("/v1/charges")
                + "\",\"body\":{\"amount\":" + amount + ",\"currency\":\"eur\"},\"authority_request_id\":\"" + arid
                + "\"}";
    }

    private Http.Reply send(String body) {
        return http.passport(passport.token()).send("POST", "/v1/proxy", body);
    }

    private Http.Reply resend(String ref, String body) {
        return http.passport(passport.token()).header("X-Control-Ref", ref).send("POST", "/v1/proxy", body);
    }

    private void upstreamAnswers(int n) {
        for (int i = 0; i < n; i++) {
            upstream.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "application/json")
                    .body("{\"id\":\"ch_1\"}")
                    .build());
        }
    }

    private static void assertDenied(Http.Reply r, String reason) {
        Replies.assertRefused(r, 403, "CONTROL_DENIED", reason);
    }

    @Test
    void aPaymentAboveTheAmountIsHeldAndTheExactResendPassesOnceAfterApproval() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(2);
        String body = payment(12_000, "arq_pay_1");
        Instant heldAt = CLOCK.instant();

        Http.Reply held = send(body);
        assertDenied(held, "review_required");
        JsonNode d = held.json().path("error").path("details");
        String ref = d.path("control_ref").asText();
        assertThat(ref).startsWith("ctr_");
        assertThat(d.path("approval_id").asText()).startsWith("gvr_");
        assertThat(d.path("approval_url").asText())
                .endsWith(d.path("approval_id").asText());
        assertThat(Instant.parse(d.path("expires_at").asText())).isEqualTo(heldAt.plus(Duration.ofHours(1)));
        assertThat(upstream.getRequestCount()).isZero();
        // the same request sent again without the ref (a retry) is the same hold
        assertThat(refOf(send(body))).isEqualTo(ref);
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("pending");

        // before the owner decides, the resend is refused and the hold stands
        assertDenied(resend(ref, body), "review_required");
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("pending");

        fake.owner().approveHold(ref);
        Http.Reply ok = resend(ref, body);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(ok.json().path("body").path("id").asText()).isEqualTo("ch_1");
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("consumed");

        // the same resend again is the same operation (authority_request_id): its stored outcome, not a second run
        Http.Reply again = resend(ref, body);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        // under another key the used ref is refused
        Http.Reply otherKey = http.passport(passport.token())
                .header("X-Control-Ref", ref)
                .header("Idempotency-Key", "another-key")
                .send("POST", "/v1/proxy", body);
        assertDenied(otherKey, "review_consumed");
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(fake.auditLog().withAction("control.hold")).hasSize(1);
    }

    @Test
    void aResendThatDiffersByOneByteIsRefusedAndTheApprovalStaysForTheExactOne() {
        upstreamAnswers(1);
        String body = payment(12_000, "arq_pay_2");
        String ref = approvedHold(body);

        assertDenied(
                resend(ref, body.replace("\"currency\":\"eur\"", "\"currency\": \"eur\"")), "control_ref_mismatch");
        assertDenied(resend(ref, payment(12_001, "arq_pay_2")), "control_ref_mismatch");
        assertThat(upstream.getRequestCount()).isZero();
        assertThat(resend(ref, body).status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void theResendWindowIsOneHourFromTheApproval() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        String body = payment(50_000, "arq_pay_3");
        String ref = refOf(send(body));
        CLOCK.advance(Duration.ofMinutes(30));
        Instant end = fake.owner().approveHold(ref);
        assertThat(end).isEqualTo(CLOCK.instant().plus(Duration.ofHours(1)));
        CLOCK.advance(Duration.ofHours(1));
        passport = fake.seed().passport(agent, "pay invoices", "stripe"); // the first one has expired
        Http.Reply late = http.passport(passport.token())
                .header("X-Control-Ref", ref)
                .send("POST", "/v1/proxy", body.replace("arq_pay_3", "arq_pay_3"));
        assertDenied(late, "review_expired");
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("expired");
        assertThat(upstream.getRequestCount()).isZero();
    }

    @Test
    void aHoldNobodyDecidesWithinTheHourExpiresAndCannotBeApproved() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        String ref = refOf(send(payment(50_000, "arq_pay_4")));
        CLOCK.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> fake.owner().approveHold(ref))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> fake.owner().approveHold("ctr_nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRejectedHoldIsRefusedOnResend() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        String body = payment(50_000, "arq_pay_5");
        String ref = refOf(send(body));
        fake.owner().rejectHold(ref);
        assertDenied(resend(ref, body), "review_rejected");
        assertThatThrownBy(() -> fake.owner().approveHold(ref)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownRefOrAnotherAgentsRefIsRefused() {
        fake.controlPolicy(null).reviewAbove(10_000, "amount").apply(); // the account default
        String body = payment(50_000, "arq_pay_6");
        String ref = refOf(send(body));
        fake.owner().approveHold(ref);
        assertDenied(resend("ctr_unknown", body), "control_ref_unknown");

        String other = fake.seed().agent("other-payer");
        fake.seed().grant(other, stripe, "charges");
        SeededPassport theirs = fake.seed().passport(other, "pay", "stripe");
        Http.Reply stolen =
                http.passport(theirs.token()).header("X-Control-Ref", ref).send("POST", "/v1/proxy", body);
        assertDenied(stolen, "control_ref_unknown");
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("approved");
    }

    @Test
    void amountsAtOrBelowTheCeilingPassAndAnUnreadableAmountIsHeld() {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(2);
        assertThat(send(payment(10_000, "arq_a")).status()).isEqualTo(200);
        String noAmount = "{\"service\":\"stripe\",\"method\":\"POST\",\"url\":\"" + upstream.url("/v1/x")
                + "\",\"body\":{\"note\":\"x\"},\"authority_request_id\":\"arq_b\"}";
        assertThat(send(noAmount).status()).isEqualTo(200);
        String textAmount = "{\"service\":\"stripe\",\"method\":\"POST\",\"url\":\"" + upstream.url("/v1/x")
                + "\",\"body\":{\"amount\":\"lots\"},\"authority_request_id\":\"arq_c\"}";
        assertDenied(send(textAmount), "review_required");
    }

    @Test
    void connectionRulesDenyHoldOrRefuseAConnectionTheyDoNotList() {
        fake.controlPolicy(agent)
                .connection("openai", ControlPolicySeed.Rule.ALLOW)
                .apply();
        assertDenied(send(payment(1, "arq_d")), "connection_not_listed");
        fake.controlPolicy(agent)
                .connection(stripe, ControlPolicySeed.Rule.DENY)
                .apply();
        assertDenied(send(payment(1, "arq_e")), "connection_denied");
        fake.controlPolicy(agent)
                .connection("stripe", ControlPolicySeed.Rule.REVIEW)
                .apply();
        assertDenied(send(payment(1, "arq_f")), "review_required");
        upstreamAnswers(1);
        fake.controlPolicy(agent)
                .connection(stripe, ControlPolicySeed.Rule.ALLOW)
                .apply();
        assertThat(send(payment(1, "arq_g")).status()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void recipientRulesRefuseUnpinnedMissionsAndRecipientsNotAllowed() {
        String send = "{\"service\":\"stripe\",\"method\":\"POST\",\"url\":\"" + upstream.url("/v1/transfers")
                + "\",\"body\":{\"destination\":\"acct_x\"},\"authority_request_id\":\"arq_h\"}";
        fake.controlPolicy(agent).recipientsPerMission("destination").apply();
        assertDenied(send(send), "recipients_not_pinned");
        fake.controlPolicy(agent).recipients(List.of("acct_y"), "destination").apply();
        assertDenied(send(send), "recipient_not_allowed");
        upstreamAnswers(1);
        fake.controlPolicy(agent).recipients(List.of("acct_x"), "destination").apply();
        assertThat(send(send).status()).isEqualTo(200);
        assertThatThrownBy(() -> fake.controlPolicy(agent).recipientsPerMission())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOperatorListsHeldActionsAndAnAgentMayNot() {
        fake.controlPolicy(agent).reviewAbove(0, "amount").apply();
        String ref = refOf(send(payment(5, "arq_i")));
        Http.Reply list = http.get("/v1/controls/reviews");
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        JsonNode item = list.json().path("reviews").get(0);
        assertThat(item.path("id").asText()).isEqualTo(ref);
        assertThat(item.path("status").asText()).isEqualTo("pending");
        assertThat(item.path("agent_id").asText()).isEqualTo(agent);
        assertThat(item.toString()).doesNotContain("sk-upstream-stripe-secret").doesNotContain("amount\":5");
        fake.owner().approveHold(ref);
        assertThat(http.get("/v1/controls/reviews").json().path("reviews").size())
                .isZero();
        assertThat(http.get("/v1/controls/reviews?status=all")
                        .json()
                        .path("reviews")
                        .size())
                .isEqualTo(1);
        Replies.assertError(http.get("/v1/controls/reviews?limit=0"), 400, "INVALID_REQUEST", "limit");
    }

    @Test
    void theOperatorReadsPoliciesAndWhichOneIsInForce() {
        assertThat(http.get("/v1/controls/policy").status()).isEqualTo(404);
        JsonNode none = http.get("/v1/controls/policy?agent_id=" + agent).json();
        assertThat(none.path("policy").isNull()).isTrue();
        assertThat(none.path("in_force").isNull()).isTrue();

        String dflt = fake.controlPolicy(null).reviewAbove(5_000, "amount").apply();
        JsonNode viaDefault = http.get("/v1/controls/policy?agent_id=" + agent).json();
        assertThat(viaDefault.path("in_force").path("id").asText()).isEqualTo(dflt);
        assertThat(viaDefault.path("in_force").path("source").asText()).isEqualTo("default");

        String own = fake.controlPolicy(agent)
                .connection(stripe, ControlPolicySeed.Rule.REVIEW)
                .recipientsPerMission("to")
                .apply();
        assertThat(fake.controlPolicy(agent)
                        .connection(stripe, ControlPolicySeed.Rule.ALLOW)
                        .apply())
                .isEqualTo(own);
        JsonNode mine = http.get("/v1/controls/policy?agent_id=" + agent).json();
        assertThat(mine.path("in_force").path("source").asText()).isEqualTo("agent");
        assertThat(mine.path("policy").path("revision").asInt()).isEqualTo(2);
        assertThat(mine.path("policy")
                        .path("definition")
                        .path("connections")
                        .path(stripe)
                        .asText())
                .isEqualTo("allow");
        assertThat(mine.path("policy").path("definition").has("recipients")).isFalse();

        JsonNode all = http.get("/v1/controls/policies").json();
        assertThat(all.path("policies").size()).isEqualTo(2);
        assertThat(all.path("controls_enabled").asBoolean()).isTrue();
        assertThat(http.get("/v1/controls/policy")
                        .json()
                        .path("definition")
                        .path("review")
                        .path("amount_above")
                        .asLong())
                .isEqualTo(5_000);
        assertThat(http.passport(passport.token())
                        .key(fake.operatorApiKey())
                        .get("/v1/controls/policies")
                        .status())
                .isEqualTo(200);
    }

    /** Holds {@code body} under the agent's policy (a ceiling of 10,000) and approves it; returns the ref. */
    private String approvedHold(String body) {
        fake.controlPolicy(agent).reviewAbove(10_000, "amount").apply();
        String ref = refOf(send(body));
        fake.owner().approveHold(ref);
        return ref;
    }

    private static String refOf(Http.Reply r) {
        return r.json().path("error").path("details").path("control_ref").asText();
    }

    @Test
    void aPolicyPutInForceAfterTheApprovalHoldsTheResendAgainUnderANewRefAndSupersedesTheOldHold() {
        fake.controlPolicy(null).reviewAbove(10_000, "amount").apply();
        upstreamAnswers(1);
        String body = payment(12_000, "arq_pay_rehold");
        String first = refOf(send(body));
        fake.owner().approveHold(first);
        // a second policy matches after the approval: the agent's own, which reviews every call on the connection
        String own = fake.controlPolicy(agent)
                .connection(stripe, ControlPolicySeed.Rule.REVIEW)
                .apply();

        Http.Reply again = resend(first, body);
        assertDenied(again, "review_required");
        JsonNode d = again.json().path("error").path("details");
        String second = d.path("control_ref").asText();
        assertThat(second).startsWith("ctr_").isNotEqualTo(first);
        assertThat(d.path("policy_id").asText()).isEqualTo(own);
        assertThat(upstream.getRequestCount()).isZero();
        assertThat(fake.owner().holdStatus(first)).isEqualTo("superseded");
        assertThat(fake.owner().holdStatus(second)).isEqualTo("pending");
        assertThatThrownBy(() -> fake.owner().approveHold(first)).isInstanceOf(IllegalStateException.class);

        // the old ref is never good again: it names the hold that replaced it
        Http.Reply old = resend(first, body);
        assertDenied(old, "review_superseded");
        assertThat(old.json()
                        .path("error")
                        .path("details")
                        .path("superseded_by")
                        .asText())
                .isEqualTo(second);

        fake.owner().approveHold(second);
        Http.Reply ok = resend(second, body);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(upstream.getRequestCount()).isEqualTo(1);
        assertThat(fake.owner().holdStatus(second)).isEqualTo("consumed");
        assertThat(fake.owner().holdStatus(first)).isEqualTo("superseded");
        assertThat(fake.auditLog().withAction("control.hold")).hasSize(2);
    }

    @Test
    void aPolicyRevisedAfterTheApprovalThatLetsTheCallPassLeavesTheApprovalGood() {
        upstreamAnswers(1);
        String body = payment(12_000, "arq_pay_revised");
        String ref = approvedHold(body);
        fake.controlPolicy(agent).reviewAbove(50_000, "amount").apply(); // revision 2 would not hold it

        Http.Reply ok = resend(ref, body);
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        assertThat(fake.owner().holdStatus(ref)).isEqualTo("consumed");
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }
}
