package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * What hosted STACK's live tools show and the fake follows (issue 17): {@code proxy_only} agents never receive raw
 * credentials or leases, every non-GET proxy call names its operation with {@code authority_request_id}, and
 * connection ids are {@code scon_…}.
 */
class HostedStackRulesTest {
    private FakeControlPlane fake;
    private MockWebServer upstream;
    private Http http;
    private String agent;
    private String openai;

    @BeforeEach
    void start() throws Exception {
        fake = FakeControlPlane.builder().clock(TestClock.create()).start();
        upstream = new MockWebServer();
        upstream.start();
        http = new Http(fake);
        agent = fake.seed()
                .newAgent("hosted")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        openai = fake.seed()
                .newConnection("openai")
                .secret("sk-hosted-secret")
                .scopes("chat")
                .create();
        fake.seed().grant(agent, openai, "chat");
    }

    @AfterEach
    void stop() {
        upstream.close();
        fake.close();
    }

    private Http.Reply proxy(SeededPassport p, String method, String authorityRequestId, Object body) {
        Map<String, Object> req = new HashMap<>();
        req.put("service", "openai");
        req.put("method", method);
        req.put("url", upstream.url("/v1/chat").toString());
        req.put("body", body);
        if (authorityRequestId != null) {
            req.put("authority_request_id", authorityRequestId);
        }
        return http.passport(p.token()).post("/v1/proxy", req);
    }

    private void upstreamAnswers() {
        upstream.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"ok\":true}")
                .build());
    }

    @Test
    void aNonGetProxyCallWithoutAnAuthorityRequestIdIsRefusedBeforeTheUpstream() {
        SeededPassport p = fake.seed().newPassport(agent).create();

        for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
            Http.Reply r = proxy(p, method, null, Map.of("prompt", "hi"));
            Replies.assertError(r, 400, "INVALID_REQUEST", "authority_request_id");
        }
        // a blank id is refused too (by the idempotency filter, which reads the field as the key)
        Replies.assertError(proxy(p, "POST", " ", Map.of("prompt", "hi")), 400, "INVALID_REQUEST");
        assertThat(upstream.getRequestCount()).isZero();
        assertThat(fake.auditLog().withAction("credential.proxy")).isEmpty();

        upstreamAnswers();
        assertThat(proxy(p, "GET", null, null).status()).isEqualTo(200); // a GET needs none
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void oneAuthorityRequestIdIsOneOperationAndADifferentRequestUnderItIsAConflict() {
        SeededPassport p = fake.seed().newPassport(agent).create();
        upstreamAnswers();

        Http.Reply first = proxy(p, "POST", "arq_op_1", Map.of("prompt", "hi"));
        Http.Reply again = proxy(p, "POST", "arq_op_1", Map.of("prompt", "hi"));
        Http.Reply other = proxy(p, "POST", "arq_op_1", Map.of("prompt", "something else"));

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotency-Replayed")).isEqualTo("true");
        assertThat(again.text()).isEqualTo(first.text());
        Replies.assertError(other, 409, "CONFLICT");
        assertThat(other.reason()).isEqualTo("idempotency_key_reuse");
        assertThat(upstream.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aProxyOnlyAgentGetsNoCredentialAndNoLeaseButMayUseTheProxy() {
        fake.seed()
                .agentSettings(agent)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .apply();
        SeededPassport p = fake.seed().newPassport(agent).create();
        Http withP = http.passport(p.token());

        Http.Reply byProvider = withP.get("/v1/credentials/openai");
        Http.Reply byConnection = withP.get("/v1/credentials/by-connection/" + openai);
        Http.Reply lease = withP.post("/v1/leases", Map.of("provider", "openai"));
        for (Http.Reply r : new Http.Reply[] {byProvider, byConnection, lease}) {
            Replies.assertError(r, 403, "FORBIDDEN");
            assertThat(r.reason()).isEqualTo("proxy_only");
            assertThat(r.text()).doesNotContain("sk-hosted-secret");
        }

        upstreamAnswers();
        Http.Reply proxied = proxy(p, "POST", "arq_proxy_only_1", Map.of("prompt", "hi"));
        assertThat(proxied.status()).as(proxied.text()).isEqualTo(200);
        assertThat(proxied.text()).doesNotContain("sk-hosted-secret");
    }

    @Test
    void connectionIdsAreScon() {
        assertThat(openai).startsWith("scon_");
        // POST /v1/services/connect: ServicesAndCredentialsTest
        SeededPassport p = fake.seed().newPassport(agent).create();
        Http.Reply byConnection = http.passport(p.token()).get("/v1/credentials/by-connection/" + openai);
        assertThat(byConnection.status()).as(byConnection.text()).isEqualTo(200);
        assertThat(fake.passportClaims(p.jti()).get("stk").toString()).contains("service_id=" + openai);
    }
}
