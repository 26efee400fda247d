package run.getstack.sdk.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A grant is trusted only as far as it matches what was asked (independent review, finding 3): it must belong to the
 * passport that asked, so that revoking that passport ends it, and its identifiers must be plain identifiers.
 */
class LeaseGrantTrustTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    static final String OPENAI_KEY = "sk-test-lease-trust-openai-5e1d";

    private FakeControlPlane fake;
    private LeaseResponseRewriter proxy;
    private Harness h;

    @BeforeEach
    void seed(FakeControlPlane fake) throws IOException {
        run.getstack.sdk.LogLeakCheck.watch(OPENAI_KEY);
        this.fake = fake;
        String agent = fake.seed()
                .newAgent("trust-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        String openai = fake.seed().connection("openai", OPENAI_KEY, "chat");
        fake.seed().grant(agent, openai, "chat");
        this.proxy = new LeaseResponseRewriter(fake);
        this.h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent).baseUrl(proxy.baseUrl()), CLOCK);
    }

    @AfterEach
    void close() throws IOException {
        h.close();
        proxy.close();
    }

    private static LeaseRequest openai300() {
        return openai(300);
    }

    /** One cache entry per TTL: a refused grant is remembered by its entry for the backoff, so each case has its own. */
    private static LeaseRequest openai(int ttlSeconds) {
        return LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(ttlSeconds));
    }

    @Test
    void aGrantForAnotherPassportIsRefusedSoThatRevocationCannotMissIt() {
        proxy.rewriteGrant = o -> o.put("passport_jti", "jti_someone_else_0001");
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("passport_jti");
        assertThat(h.client.leases().toString()).contains("live=0");
    }

    @Test
    void aGrantWhoseProviderOrConnectionIdIsNotAPlainIdentifierIsRefused() {
        proxy.rewriteGrant = o -> o.put("provider", "sk_live_" + "a".repeat(40));
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("provider")
                .hasMessageNotContaining("sk_live_");

        proxy.rewriteGrant = o -> o.put("service_connection_id", "conn with spaces\nand a newline");
        assertThatThrownBy(() -> h.client.leases().acquire(openai(301)))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("service_connection_id")
                .hasMessageNotContaining("newline");

        proxy.rewriteGrant = o -> o.put("service_connection_id", "eyJhbGciOiJFZERTQSJ9.x");
        assertThatThrownBy(() -> h.client.leases().acquire(openai(302)))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("service_connection_id");

        proxy.rewriteGrant = null;
        try (Lease lease = h.client.leases().acquire(openai(303))) {
            assertThat(lease.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        }
    }

    @Test
    void aRevocationBetweenTheGrantAndItsBookkeepingStillEndsTheGrant() {
        // independent review, finding 3b: the passport is revoked after the server granted the lease but before the
        // client recorded the grant, so the revocation's sweep of live grants cannot see it
        String jti = h.client.passport().current().jti();
        proxy.beforeGrantReturns = () -> {
            proxy.beforeGrantReturns = null;
            h.client.passports().revoke(jti, "revoked while the grant was in flight");
        };
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(run.getstack.sdk.passport.StackPassportRevokedException.class);
        assertThat(h.client.leases().toString()).contains("live=0");
        h.scheduler.runDue(); // the background release of the grant
        assertThat(fake.journal().count("DELETE", "/v1/leases/*")).isEqualTo(1);
    }
}
