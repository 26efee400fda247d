package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ServicesAndCredentialsTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    String openai;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed()
                .newAgent("reader")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        openai = fake.seed().connection("openai", "sk-proj-secret", "chat");
        fake.seed().grant(agent, openai, "chat");
    }

    @Test
    void catalogListsServicesWithAuthTypesAndFields() {
        JsonNode services = http.get("/v1/services").json().path("services");
        assertThat(services)
                .extracting(s -> s.path("provider").asText())
                .contains("openai", "slack", "custom_sftp_server");
        JsonNode sftp = null;
        for (JsonNode s : services) {
            if (s.path("provider").asText().equals("custom_sftp_server")) {
                sftp = s;
            }
        }
        assertThat(sftp.path("auth_type").asText()).isEqualTo("multi_field");
        assertThat(sftp.path("fields")).extracting(JsonNode::asText).contains("host", "password");
        assertThat(sftp.path("id").asText()).startsWith("svc_");
    }

    @Test
    void connectValidatesAndConnectedNeverShowsSecrets() {
        String serviceId = http.get("/v1/services")
                .json()
                .path("services")
                .get(0)
                .path("id")
                .asText();
        Http.Reply r = http.post(
                "/v1/services/connect",
                Map.of("service_id", serviceId, "scopes", List.of("chat"), "credential", "sk-new-secret"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.json().path("id").asText()).startsWith("scon_");
        assertThat(r.text()).doesNotContain("sk-new-secret");
        assertThat(http.get("/v1/services/connected").text())
                .doesNotContain("sk-new-secret")
                .doesNotContain("sk-proj");
        Replies.assertError(
                http.post("/v1/services/connect", Map.of("scopes", List.of("x"))),
                400,
                "INVALID_REQUEST",
                "service_id");
        Replies.assertError(
                http.post("/v1/services/connect", Map.of("service_id", serviceId, "scopes", "chat")),
                400,
                "INVALID_REQUEST",
                "scopes");
        Replies.assertError(
                http.post("/v1/services/connect", Map.of("service_id", "svc_nope", "scopes", List.of("x"))),
                404,
                "NOT_FOUND");
    }

    @Test
    void credentialRetrievalReturnsTheDecryptedSecretAndIsAudited() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        Http.Reply r = http.passport(p.token()).get("/v1/credentials/openai");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().path("provider").asText()).isEqualTo("openai");
        assertThat(r.json().path("credential").asText()).isEqualTo("sk-proj-secret");
        assertThat(r.json().has("credentials")).isFalse();
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        Http.Reply byConn = http.passport(p.token()).get("/v1/credentials/by-connection/" + openai);
        assertThat(byConn.json().path("credential").asText()).isEqualTo("sk-proj-secret");
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("credential.retrieve", 2);
        assertThat(fake.auditLog().withAction("credential.retrieve").get(0).layer())
                .isEqualTo("vault");
        assertThat(fake.auditLog().entries().toString()).doesNotContain("sk-proj-secret");
    }

    @Test
    void multiFieldCredentialsComeBackAsAnObjectOfStrings() {
        String sftp = fake.seed()
                .multiFieldConnection(
                        "custom_sftp_server",
                        Map.of("host", "h.example", "username", "u", "password", "p", "port", "22"),
                        "read");
        fake.seed().grant(agent, sftp, "read");
        SeededPassport p = fake.seed().passport(agent, "s", "custom_sftp_server");
        JsonNode r = http.passport(p.token())
                .get("/v1/credentials/custom_sftp_server")
                .json();
        assertThat(r.has("credential")).isFalse();
        assertThat(r.path("credentials").path("port").asText()).isEqualTo("22");
        assertThat(r.path("credentials").path("password").asText()).isEqualTo("p");
    }

    @Test
    void credentialErrors() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        Http withP = http.passport(p.token());
        Replies.assertError(http.get("/v1/credentials/notion"), 404, "NOT_FOUND");
        Replies.assertError(http.get("/v1/credentials/by-connection/svc_conn_nope"), 404, "NOT_FOUND");
        // provider in intent but no connection in the passport
        String second = fake.seed().connection("slack", "xoxb", "read");
        String agent2 = fake.seed()
                .newAgent("intender")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        SeededPassport wide = fake.seed().passport(agent2, "s", "slack");
        Http.Reply notGranted = http.passport(wide.token()).get("/v1/credentials/slack");
        Replies.assertError(notGranted, 403, "FORBIDDEN");
        assertThat(notGranted.reason()).isEqualTo("not_granted");
        // ambiguous without a passport
        fake.seed().connection("openai", "sk-second", "chat");
        Http.Reply amb = http.get("/v1/credentials/openai");
        Replies.assertError(amb, 409, "CONFLICT");
        assertThat(amb.reason()).isEqualTo("ambiguous_provider");
        // with the passport the connection is disambiguated
        assertThat(withP.get("/v1/credentials/openai").json().path("credential").asText())
                .isEqualTo("sk-proj-secret");
        assertThat(second).startsWith("scon_");
    }

    @Test
    void proxyOnlyAgentsCannotReadCredentialsDirectly() {
        fake.seed()
                .agentSettings(agent)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .apply();
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        Http.Reply r = http.passport(p.token()).get("/v1/credentials/openai");
        Replies.assertError(r, 403, "FORBIDDEN");
        assertThat(r.reason()).isEqualTo("proxy_only");
    }

    @Test
    void revokedExpiredAndCheckedOutPassportsAreRefused() {
        SeededPassport revoked = fake.seed().passport(agent, "s", "openai");
        http.post("/v1/passports/" + revoked.jti() + "/revoke", Map.of());
        Replies.assertError(http.passport(revoked.token()).get("/v1/credentials/openai"), 401, "PASSPORT_REVOKED");
        SeededPassport old = fake.seed().passport(agent, "s", "openai");
        SeededPassport out = fake.seed().passport(agent, "s", "openai");
        CLOCK.advance(java.time.Duration.ofSeconds(300));
        Replies.assertError(http.passport(old.token()).get("/v1/credentials/openai"), 401, "PASSPORT_EXPIRED");
        http.post("/v1/passports/" + out.jti() + "/checkout", Map.of("summary", "done"));
        Replies.assertError(http.passport(out.token()).get("/v1/credentials/openai"), 403, "PASSPORT_CHECKED_OUT");
        // presenting a checked-out passport is a critical post_checkout_access signal: the enforced agent is blocked
        assertThat(fake.isPassportBlocked(agent)).isTrue();
        StackAssertions.assertThat(fake).hasAlert("post_checkout_access", "blocked");
    }

    @Test
    void disconnectRevokesPassportsScopedToTheConnectionAndItsLeases() {
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        String lease = http.passport(p.token())
                .post("/v1/leases", Map.of("provider", "openai"))
                .json()
                .path("lease_id")
                .asText();
        Http.Reply r = http.delete("/v1/services/connections/" + openai);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("disconnected").asBoolean()).isTrue();
        assertThat(r.json().path("revoked_count").asInt()).isEqualTo(1);
        assertThat(fake.isRevoked(p.jti())).isTrue();
        Replies.assertError(http.post("/v1/leases/" + lease + "/renew", Map.of()), 401, "PASSPORT_REVOKED");
        Replies.assertError(http.delete("/v1/services/connections/" + openai), 404, "NOT_FOUND");
        StackAssertions.assertThat(fake.auditLog())
                .hasEntry("service.disconnect")
                .hasEntry("credential.lease_revoke");
    }
}
