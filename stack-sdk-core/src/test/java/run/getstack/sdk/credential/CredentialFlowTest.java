package run.getstack.sdk.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Plain credential reads against the fake control plane. */
class CredentialFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    static final String OPENAI_KEY = "sk-test-cred-openai-2b7e";
    static final String SFTP_PASSWORD = "test-cred-sftp-pw-55aa";

    private FakeControlPlane fake;
    private String agent;
    private String openai;
    private String sftp;
    private Harness h;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        run.getstack.sdk.LogLeakCheck.watch(OPENAI_KEY, SFTP_PASSWORD, "ghp_test_cred_github");
        this.fake = fake;
        this.agent = fake.seed()
                .newAgent("cred-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // reads raw credentials
                .create();
        this.openai = fake.seed().connection("openai", OPENAI_KEY, "chat");
        fake.seed().service("custom_sftp_server", "SFTP", "multi_field", java.util.List.of("host", "password"));
        this.sftp = fake.seed()
                .multiFieldConnection(
                        "custom_sftp_server", Map.of("host", "sftp.example", "password", SFTP_PASSWORD), "read");
        fake.seed().grant(agent, openai, "chat");
        fake.seed().grant(agent, sftp, "read");
        this.h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void aCredentialIsReadUnderThePassportIntoASecret() {
        try (Credential c = h.client.credentials().get("openai")) {
            assertThat(c.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
            assertThat(c.provider()).isEqualTo("openai");
            assertThat(c.value().isMultiField()).isFalse();
            assertThat(c.toString()).doesNotContain(OPENAI_KEY);
            JournalEntry e =
                    fake.journal().entries("GET", "/v1/credentials/openai").get(0);
            assertThat(e.passportJti()).isEqualTo(h.client.passport().current().jti());
            assertThat(c.passportJti()).isEqualTo(e.passportJti());
        }
        assertThat(h.actions()).contains("credential.retrieve");
    }

    @Test
    void aMultiFieldCredentialComesAsNamedSecrets() {
        try (Credential c = h.client.credentials().byConnection(sftp)) {
            assertThat(c.value().isMultiField()).isTrue();
            assertThat(c.value().field("password").revealPlaintext()).isEqualTo(SFTP_PASSWORD);
            assertThat(c.value().fields()).containsOnlyKeys("host", "password");
            assertThat(c.connectionId()).isEqualTo(sftp);
            assertThatThrownBy(c::secret)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[host, password]")
                    .hasMessageNotContaining(SFTP_PASSWORD);
            assertThatThrownBy(() -> c.value().field("user"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("name:");
            assertThat(c.toString()).doesNotContain(SFTP_PASSWORD).doesNotContain("sftp.example");
            Credential same = c;
            same.close();
            assertThat(c.value().isClosed()).isTrue();
        }
    }

    @Test
    void aProviderOutsideThePassportIsRefusedLocallyAndNothingIsSent() {
        fake.seed().connection("github", "ghp_test_cred_github", "repo");
        h.client.passport().current();
        int before = fake.journal().entries().size();
        assertThatThrownBy(() -> h.client.credentials().get("github"))
                .isInstanceOfSatisfying(StackCredentialOutsideScopeException.class, e -> {
                    assertThat(e.requested()).isEqualTo("github");
                    assertThat(e.passportServices()).containsExactly("custom_sftp_server", "openai");
                });
        assertThatThrownBy(() -> h.client.credentials().byConnection("svc_conn_notinpassport"))
                .isInstanceOf(StackCredentialOutsideScopeException.class)
                .hasMessageContaining(openai);
        assertThat(fake.journal().entries()).hasSize(before);
        assertThat(fake.securityEvents()).isEmpty();
        assertThat(h.client.passport().isTerminal()).isFalse();
    }

    @Test
    void aConnectionIdWhereAProviderIsExpectedIsRefusedWithAHint() {
        int before = fake.journal().entries().size();
        for (String id : new String[] {openai, "scon_4f0c1a2b"}) {
            assertThatThrownBy(() -> h.client.credentials().get(id))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("provider:")
                    .hasMessageContaining("byConnection");
        }
        assertThat(fake.journal().entries()).hasSize(before);
        assertThat(h.actions()).contains("local.refused");
    }

    @Test
    void aProxyOnlyAgentIsPointedToTheProxy() {
        fake.seed()
                .agentSettings(agent)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .apply();
        assertThatThrownBy(() -> h.client.credentials().get("openai"))
                .isInstanceOfSatisfying(StackProxyOnlyException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("proxy_only");
                })
                .hasMessageContaining("client.proxy()");
    }

    @Test
    void aMalformedProviderIsRefusedNamingTheParameter() {
        assertThatThrownBy(() -> h.client.credentials().get("../admin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("provider:");
        assertThatThrownBy(() -> h.client.credentials().byConnection("a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connectionId:");
    }

    @Test
    void aConnectionGoneFromTheControlPlaneIsNotFound() {
        fake.seed().grant(agent, openai, "chat");
        h.client.passport().current();
        fake.faults().on("GET", "/v1/credentials/openai").respondWith(404, "NOT_FOUND");
        assertThatThrownBy(() -> h.client.credentials().get("openai")).isInstanceOf(StackNotFoundException.class);
    }
}
