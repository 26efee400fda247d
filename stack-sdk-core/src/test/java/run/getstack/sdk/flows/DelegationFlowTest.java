package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.flows.FlowSupport.DELEGATE;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.passport.DelegationRequest;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.passport.VerifiedPassport;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Delegation through the client against the fake control plane: narrowing, escalation, the depth limit. */
class DelegationFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private String parentAgent;
    private String openai;
    private String slack;
    private StackClient client;
    private PassportVerifier verifier;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        parentAgent = fake.seed().agent("lead-bot");
        openai = fake.seed().connection("openai", "sk-test-delegation", "chat", "embeddings");
        slack = fake.seed().connection("slack", "xoxb-test-delegation", "post");
        fake.seed().grant(parentAgent, openai, "chat", "embeddings");
        fake.seed().grant(parentAgent, slack, "post");
        client = FlowSupport.client(fake, CLOCK, parentAgent).build();
        verifier = PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + FlowSupport.JWKS)
                .clock(CLOCK)
                .build();
    }

    @AfterEach
    void close() {
        verifier.close();
        client.close();
    }

    private Passport parent() {
        return client.passports()
                .issue(
                        parentAgent,
                        PassportRequest.builder()
                                .intent(Intent.of("triage and report", List.of("openai", "slack")))
                                .missionId(fake.seed().mission(parentAgent, "triage and report", "openai", "slack"))
                                .build());
    }

    @Test
    void aChildNarrowerThanItsParentIsIssued() {
        Passport parent = parent();
        String childAgent = fake.seed().agent("helper-bot");

        Passport child = client.passports()
                .delegate(
                        parent,
                        DelegationRequest.builder(childAgent)
                                .scopes(List.of(new ServiceScope(openai, List.of("chat"))))
                                .build());

        assertThat(child.agentId()).isEqualTo(childAgent);
        assertThat(child.delegationDepth()).isEqualTo(1);
        assertThat(child.parentJti()).isEqualTo(parent.jti());
        assertThat(child.sessionId()).isEqualTo(parent.sessionId());
        assertThat(child.expiresAt()).isBeforeOrEqualTo(parent.expiresAt());
        VerifiedPassport verified = verifier.verify(child.token().revealPlaintext());
        assertThat(verified.allows("openai", "chat")).isTrue();
        assertThat(verified.allows(openai, "chat")).isTrue();
        assertThat(verified.allows("openai", "embeddings")).isFalse();
        assertThat(verified.hasService("slack")).isFalse();
        assertThat(verified.delegationChain()).containsExactly(parent.jti());
        StackAssertions.assertThat(fake.auditLog()).hasEntryForPassport("passport.delegate", child.jti());
    }

    @Test
    void scopesBeyondTheParentsAreRefusedByTheClientWithoutARequest() {
        Passport parent = parent();
        String childAgent = fake.seed().agent("helper-bot");
        String stripe = fake.seed().connection("stripe", "sk_test_delegation", "charges:read");

        assertEscalation(
                () -> client.passports()
                        .delegate(
                                parent,
                                DelegationRequest.builder(childAgent)
                                        .scopes(List.of(new ServiceScope(openai, List.of("chat", "admin"))))
                                        .build()),
                0);
        assertEscalation(
                () -> client.passports()
                        .delegate(
                                parent,
                                DelegationRequest.builder(childAgent)
                                        .scopes(List.of(new ServiceScope(stripe, List.of("charges:read"))))
                                        .build()),
                0);
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", DELEGATE, 0);
    }

    @Test
    void anIntentBeyondTheParentsIsRefusedByTheControlPlane() {
        Passport parent = parent();
        String childAgent = fake.seed().agent("helper-bot");

        assertEscalation(
                () -> client.passports()
                        .delegate(
                                parent,
                                DelegationRequest.builder(childAgent)
                                        .intent(Intent.of("pay someone", List.of("stripe")))
                                        .build()),
                400);
        List<JournalEntry> sent = fake.journal().entries("POST", DELEGATE);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).status()).isEqualTo(400);
        StackAssertions.assertThat(fake.auditLog()).hasNoEntry("passport.delegate");
    }

    @Test
    void theControlPlaneRefusesScopeEscalationTooWhenAskedDirectly() throws Exception {
        // the client's local check and the control plane agree: the same request sent raw is refused there
        Passport parent = parent();
        String childAgent = fake.seed().agent("helper-bot");
        HttpResponse<String> raw = FlowSupport.rawPost(
                fake,
                DELEGATE,
                "{\"parent_passport_token\":\"" + parent.token().revealPlaintext() + "\",\"child_agent_id\":\""
                        + childAgent
                        + "\",\"scopes\":[{\"service_connection_id\":\"" + openai
                        + "\",\"scopes\":[\"chat\",\"admin\"]}]}");
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.body()).contains("\"code\":\"SCOPE_ESCALATION\"");
    }

    @Test
    void fourLevelsOfDelegationWorkAndAFifthIsRefusedLocallyAndByTheControlPlane() throws Exception {
        Passport current = parent();
        List<String> chain = new ArrayList<>();
        for (int depth = 1; depth <= 4; depth++) {
            String next = fake.seed().agent("level-" + depth + "-bot");
            chain.add(current.jti());
            current = client.passports()
                    .delegate(
                            current,
                            DelegationRequest.builder(next)
                                    .scopes(List.of(new ServiceScope(openai, List.of("chat"))))
                                    .build());
            assertThat(current.delegationDepth()).isEqualTo(depth);
        }
        VerifiedPassport deepest = verifier.verify(current.token().revealPlaintext());
        assertThat(deepest.delegationDepth()).isEqualTo(4);
        assertThat(deepest.delegationChain()).containsExactlyElementsOf(chain);
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", DELEGATE, 4);

        String fifth = fake.seed().agent("level-5-bot");
        Passport depthFour = current;
        assertThatThrownBy(() -> client.passports()
                        .delegate(depthFour, DelegationRequest.builder(fifth).build()))
                .isInstanceOf(StackInvalidRequestException.class)
                .satisfies(e -> {
                    StackInvalidRequestException x = (StackInvalidRequestException) e;
                    assertThat(x.errorCode()).isEqualTo("DELEGATION_DEPTH_EXCEEDED");
                    assertThat(x.httpStatus()).as("refused before sending").isZero();
                });
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", DELEGATE, 4);

        HttpResponse<String> raw = FlowSupport.rawPost(
                fake,
                DELEGATE,
                "{\"parent_passport_token\":\"" + depthFour.token().revealPlaintext() + "\",\"child_agent_id\":\""
                        + fifth + "\",\"scopes\":[]}");
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.body()).contains("\"code\":\"DELEGATION_DEPTH_EXCEEDED\"");
    }

    private static void assertEscalation(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int expectedStatus) {
        assertThatThrownBy(call)
                .isInstanceOf(StackInvalidRequestException.class)
                .satisfies(e -> {
                    StackInvalidRequestException x = (StackInvalidRequestException) e;
                    assertThat(x.errorCode()).isEqualTo("SCOPE_ESCALATION");
                    assertThat(x.httpStatus()).isEqualTo(expectedStatus);
                });
    }
}
