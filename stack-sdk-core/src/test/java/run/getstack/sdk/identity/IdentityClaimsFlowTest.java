package run.getstack.sdk.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.passport.IdentityClaim;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportConstraint;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.passport.VerifiedPassport;
import run.getstack.sdk.revocation.internal.RevocationFeed;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.ConstraintOp;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.identity()} against the fake: the verification flow, claims in passports, claim revocation. */
class IdentityClaimsFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;
    String agent;
    StackClient operator;
    StackClient agentClient;
    PassportVerifier verifier;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed()
                .newAgent("claimed-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // reads raw credentials
                .create();
        String openai = fake.seed().connection("openai", "sk-test-claims", "chat");
        fake.seed()
                .newGrant(agent, openai)
                .scopes("chat")
                .constraint("method", ConstraintOp.EQ, "POST")
                .create();
        operator = builder().build();
        agentClient = builder().agentId(agent).build();
        verifier = PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + "/v1/.well-known/jwks.json")
                .clock(CLOCK)
                .build();
    }

    private StackClient.Builder builder() {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
    }

    @AfterEach
    void close() {
        verifier.close();
        agentClient.close();
        operator.close();
    }

    private Verification verified() {
        Verification started = operator.identity().startVerification("bankid_se", "verified_human");
        fake.identity().approve(started.sessionId());
        return operator.identity().completeVerification(started);
    }

    @Test
    void aVerificationIsStartedCompletedByTheProviderAndReturnsItsClaims() {
        assertThat(operator.identity().providers())
                .extracting(IdentityProvider::providerKey)
                .contains("bankid_se", "login_gov");
        Verification started =
                operator.identity().startVerification("bankid_se", "verified_human", "verified_identity");
        assertThat(started.status()).isEqualTo(VerificationStatus.PENDING);
        assertThat(started.requestedClaims()).containsExactly("verified_human", "verified_identity");
        assertThat(started.claims()).isEmpty();
        assertThatThrownBy(() -> operator.identity().completeVerification(started))
                .isInstanceOfSatisfying(
                        StackConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo("verification_pending"));

        List<String> created = fake.identity().approve(started.sessionId());

        assertThat(operator.identity().verification(started.sessionId()).status())
                .isEqualTo(VerificationStatus.COMPLETED);
        Verification done = operator.identity().completeVerification(started);
        assertThat(done.status()).isEqualTo(VerificationStatus.COMPLETED);
        assertThat(done.claims()).extracting(IdentityClaim::claimId).containsExactlyElementsOf(created);
        assertThat(done.claims().get(1).layer()).isEqualTo(IdentityClaim.LAYER_IDENTITY);
        assertThat(operator.identity().claims())
                .extracting(VerifiedClaim::claimId, VerifiedClaim::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(created.get(0), ClaimStatus.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(created.get(1), ClaimStatus.ACTIVE));
    }

    @Test
    void aRejectedVerificationNeverCompletes() {
        Verification started = operator.identity().startVerification("plaid");
        assertThat(started.requestedClaims()).containsExactly("verified_human");
        fake.identity().reject(started.sessionId());
        assertThat(operator.identity().verification(started.sessionId()).status())
                .isEqualTo(VerificationStatus.FAILED);
        assertThatThrownBy(() -> operator.identity().completeVerification(started))
                .isInstanceOfSatisfying(
                        StackConflictException.class,
                        e -> assertThat(e.reason()).isEqualTo("verification_failed"));
    }

    @Test
    void aVerifiedPassportExposesTheClaimsAndTheProxyConstraints() {
        IdentityClaim claim = verified().claims().get(0);
        Passport p = agentClient.passport().current();

        VerifiedPassport v = verifier.verify(p.token().revealPlaintext());

        assertThat(v.identityClaims()).containsExactly(claim);
        assertThat(v.hasIdentityClaim("verified_human", CLOCK.instant())).isTrue();
        assertThat(v.services()).hasSize(1);
        assertThat(v.services().get(0).constraints())
                .containsExactly(new PassportConstraint("method", "eq", List.of("POST")));
    }

    @Test
    void revokingAClaimRevokesThePassportsCarryingItAndTheAgentSeesIt() {
        IdentityClaim claim = verified().claims().get(0);
        Passport p = agentClient.passport().current();
        assertThat(agentClient.credentials().get("openai").secret().revealPlaintext())
                .isEqualTo("sk-test-claims");
        RevocationFeed feed = new RevocationFeed(ClientTestHooks.transport(operator), CLOCK);
        String cursor = feed.poll(null, 0).cursor();

        ClaimRevocation r = operator.identity().revokeClaim(claim.claimId());

        assertThat(r.revokedCount()).isEqualTo(1);
        assertThat(fake.isRevoked(p.jti())).isTrue();
        RevocationFeed.Page page = feed.poll(cursor, 0);
        assertThat(page.events()).hasSize(1);
        assertThat(page.events().get(0).type()).isEqualTo("bulk_claim");
        assertThat(page.events().get(0).jtis()).containsExactly(p.jti());
        assertThatThrownBy(() -> agentClient.credentials().get("openai"))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThat(operator.identity().claims().get(0).status()).isEqualTo(ClaimStatus.REVOKED);
        assertThat(operator.identity().revokeClaim(claim.claimId()).revokedCount())
                .isZero();
    }

    @Test
    void badInputIsRefusedLocallyNamingTheField() {
        int before = fake.journal().entries().size();
        assertThatThrownBy(() -> operator.identity().startVerification("Bank ID"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("provider_key:");
        assertThatThrownBy(() -> operator.identity().startVerification("bankid_se", "verified human"))
                .hasMessageStartingWith("requested_claims:");
        assertThatThrownBy(() -> operator.identity().startVerification("bankid_se", "a", "b", "c", "d", "e"))
                .hasMessageStartingWith("requested_claims:");
        assertThatThrownBy(() -> operator.identity().revokeClaim("clm/../x")).hasMessageStartingWith("claim_id:");
        assertThatThrownBy(() -> operator.identity().verification("")).hasMessageStartingWith("session_id:");
        assertThat(fake.journal().entries()).hasSize(before);
        assertThatThrownBy(() -> operator.identity().revokeClaim("clm_unknown"))
                .isInstanceOf(StackNotFoundException.class);
    }
}
