package run.getstack.sdk.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.AgentFlowFixture;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.credential.StackCredentialOutsideScopeException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.testkit.AuditEntry;
import run.getstack.sdk.testkit.ConstraintOp;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;

/** Proxy calls through the fake control plane to a real upstream on loopback. */
class ProxyFlowTest extends AgentFlowFixture {
    static final String SLACK_TOKEN = "xoxb-test-proxy-slack-9e1c";

    @Override
    protected String seedAgent(FakeControlPlane fake) {
        run.getstack.sdk.LogLeakCheck.watch(SLACK_TOKEN);
        String bot = fake.seed().agent("proxy-bot", "standard");
        String slack = fake.seed().connection("slack", SLACK_TOKEN, "chat:write");
        // only POSTs to /api/chat.postMessage are allowed
        fake.seed()
                .newGrant(bot, slack)
                .constraint("url.pathname", ConstraintOp.EQ, "/api/chat.postMessage")
                .scopes("chat:write")
                .create();
        return bot;
    }

    private String url(String path) {
        return upstream.url(path).toString();
    }

    @Test
    void aCallGoesThroughTheProxyWithThePassportAndTheUpstreamGetsTheInjectedCredential() throws Exception {
        upstream.enqueue(new MockResponse.Builder()
                .code(201)
                .setHeader("Content-Type", "application/json")
                .setHeader("X-Upstream", "yes")
                .body("{\"ok\":true,\"ts\":\"1.2\"}")
                .build());
        ProxyResponse r = h.client
                .proxy()
                .call(ProxyRequest.builder("slack", "POST", url("/api/chat.postMessage"))
                        .jsonBody("{\"channel\":\"C1\",\"text\":\"hi\"}")
                        .header("X-Trace", "t1")
                        .build());
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.bodyEncoding()).isEqualTo(ProxyResponse.BodyEncoding.JSON);
        assertThat(r.bodyText()).isEqualTo("{\"ok\":true,\"ts\":\"1.2\"}");
        assertThat(r.header("X-Upstream")).isEqualTo("yes");
        RecordedRequest got = upstream.takeRequest();
        assertThat(got.getHeaders().get("Authorization")).isEqualTo("Bearer " + SLACK_TOKEN);
        assertThat(got.getHeaders().get("X-Trace")).isEqualTo("t1");
        assertThat(got.getBody().utf8()).isEqualTo("{\"channel\":\"C1\",\"text\":\"hi\"}");

        JournalEntry call = fake.journal().entries("POST", "/v1/proxy").get(0);
        assertThat(call.passportJti()).isEqualTo(h.client.passport().current().jti());
        assertThat(call.idempotencyKey()).isEqualTo(r.authorityRequestId()).startsWith("arq_");
        assertThat(call.body()).contains("\"authority_request_id\":\"" + r.authorityRequestId() + "\"");
        List<AuditEntry> audited = fake.auditLog().withAction("credential.proxy");
        assertThat(audited).hasSize(1);
        assertThat(h.events.stream().filter(e -> e.action().equals("proxy.call")))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo(ClientEvent.Outcome.SUCCESS);
                    assertThat(e.detail())
                            .containsEntry("service", "slack")
                            .containsEntry("status", "201")
                            .containsEntry("authority_request_id", r.authorityRequestId());
                });
    }

    @Test
    void anyOkHttpClientCanSendItsCallsThroughTheProxyByAddingTheInterceptor() throws Exception {
        upstream.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "text/plain")
                .body("posted")
                .build());
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(h.client.proxy().interceptor("slack"))
                .build();
        Request request = new Request.Builder()
                .url(url("/api/chat.postMessage"))
                .header("Authorization", "Bearer the-agent-has-no-real-token")
                .post(RequestBody.create("{\"text\":\"hi\"}", MediaType.get("application/json")))
                .build();
        try (Response response = http.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("posted");
            assertThat(response.header("content-type")).startsWith("text/plain");
        } finally {
            http.dispatcher().executorService().shutdown();
        }
        RecordedRequest got = upstream.takeRequest();
        assertThat(got.getHeaders().get("Authorization")).isEqualTo("Bearer " + SLACK_TOKEN);
        assertThat(fake.journal().count("POST", "/v1/proxy")).isEqualTo(1);
        assertThat(fake.auditLog().withAction("credential.proxy")).hasSize(1);
    }

    @Test
    void aHeaderNameNoHttpClientAcceptsFromTheProxyIsAnIOExceptionNotAnUncheckedOne() throws Exception {
        // independent review, finding 7(b): OkHttp's Headers.Builder throws IllegalArgumentException for an empty
        // name or one with a space; from an interceptor that escaped as an unchecked exception
        upstream.enqueue(new MockResponse.Builder().code(200).body("posted").build());
        upstream.enqueue(new MockResponse.Builder().code(200).body("posted").build());
        try (run.getstack.sdk.lease.LeaseResponseRewriter stack =
                new run.getstack.sdk.lease.LeaseResponseRewriter(fake)) {
            stack.rewritePath = "/v1/proxy";
            h.close();
            h = CapabilityTestSupport.harness(
                    CapabilityTestSupport.builder(fake, CLOCK, agent).baseUrl(stack.baseUrl()), CLOCK);
            OkHttpClient http = new OkHttpClient.Builder()
                    .addInterceptor(h.client.proxy().interceptor("slack"))
                    .build();
            try {
                for (String bad : new String[] {"bad name", ""}) {
                    stack.rewriteGrant = o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.get("headers"))
                            .put(bad, "x")
                            .put("x-fine", "kept");
                    Request request = new Request.Builder()
                            .url(url("/api/chat.postMessage"))
                            .post(RequestBody.create("{\"text\":\"hi\"}", MediaType.get("application/json")))
                            .build();
                    assertThatThrownBy(() -> http.newCall(request).execute().close())
                            .isInstanceOf(IOException.class)
                            .hasMessageContaining("header");
                }
            } finally {
                http.dispatcher().executorService().shutdown();
            }
        }
    }

    @Test
    void aConstraintFailureIsTypedAndReachesNoUpstream() {
        ProxyRequest forbidden = ProxyRequest.builder("slack", "POST", url("/api/admin.users.delete"))
                .jsonBody("{}")
                .build();
        assertThatThrownBy(() -> h.client.proxy().call(forbidden))
                .isInstanceOfSatisfying(StackConstraintFailedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("constraint_failed");
                });
        OkHttpClient http = new OkHttpClient.Builder()
                .addInterceptor(h.client.proxy().interceptor("slack"))
                .build();
        Request request =
                new Request.Builder().url(url("/api/admin.users.delete")).build();
        assertThatThrownBy(() -> http.newCall(request).execute())
                .isInstanceOf(IOException.class)
                .hasCauseInstanceOf(StackConstraintFailedException.class);
        http.dispatcher().executorService().shutdown();
        assertThat(upstream.getRequestCount()).isZero();
    }

    @Test
    void anUnreachableUpstreamIsTypedAndNotRetried() throws IOException {
        h.close();
        h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent).retryPolicy(RetryPolicy.defaults()), CLOCK);
        String dead = url("/api/chat.postMessage");
        upstream.close();
        assertThatThrownBy(() -> h.client
                        .proxy()
                        .call(ProxyRequest.builder("slack", "POST", dead)
                                .jsonBody("{}")
                                .build()))
                .isInstanceOfSatisfying(StackUpstreamException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("UPSTREAM_ERROR");
                    assertThat(e.reason()).isEqualTo("connect_failed");
                });
        assertThat(fake.journal().count("POST", "/v1/proxy")).isEqualTo(1);
    }

    @Test
    void retriesOfOneCallReuseItsAuthorityRequestIdAndAnUnknownOutcomeIsNeverResentUnderANewOne() {
        h.close();
        h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent).retryPolicy(RetryPolicy.defaults()), CLOCK);
        upstream.enqueue(new MockResponse.Builder().code(200).body("ok").build());
        // the first attempt is dropped before the control plane answers: retried under the same id
        fake.faults().on("POST", "/v1/proxy").disconnectBeforeResponse().times(1);
        ProxyResponse r = h.client
                .proxy()
                .call(ProxyRequest.builder("slack", "POST", url("/api/chat.postMessage"))
                        .jsonBody("{}")
                        .build());
        assertThat(r.status()).isEqualTo(200);
        List<JournalEntry> calls = fake.journal().entries("POST", "/v1/proxy");
        assertThat(calls).hasSize(2);
        assertThat(calls.stream().map(JournalEntry::idempotencyKey).distinct()).containsExactly(r.authorityRequestId());
        assertThat(upstream.getRequestCount()).isEqualTo(1);

        // processed, but the answer is cut: the outcome is unknown, so the SDK does not resend on its own and
        // tells the caller the id to resend under
        fake.journal().clear();
        upstream.enqueue(new MockResponse.Builder().code(200).body("once").build());
        fake.faults().on("POST", "/v1/proxy").disconnectDuringResponseBody().times(1);
        ProxyRequest.Builder post = ProxyRequest.builder("slack", "POST", url("/api/chat.postMessage"))
                .jsonBody("{\"text\":\"pay once\"}");
        StackProxyOutcomeUnknownException unknown = org.assertj.core.api.Assertions.catchThrowableOfType(
                StackProxyOutcomeUnknownException.class, () -> h.client.proxy().call(post.build()));
        assertThat(unknown).isNotNull();
        assertThat(fake.journal().entries("POST", "/v1/proxy")).hasSize(1);
        assertThat(upstream.getRequestCount()).isEqualTo(2);
        // resent under the same id: STACK answers with the stored outcome and the upstream is not called again
        ProxyResponse replay = h.client
                .proxy()
                .call(post.authorityRequestId(unknown.authorityRequestId()).build());
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.bodyText()).isEqualTo("once");
        assertThat(upstream.getRequestCount()).isEqualTo(2);
        assertThat(fake.journal().entries("POST", "/v1/proxy").stream()
                        .map(JournalEntry::idempotencyKey)
                        .distinct())
                .containsExactly(unknown.authorityRequestId());
    }

    @Test
    void theCallersAuthorityRequestIdIsSentAsGiven() {
        upstream.enqueue(new MockResponse.Builder().code(200).body("").build());
        ProxyResponse r = h.client
                .proxy()
                .call(ProxyRequest.builder("slack", "GET", url("/api/chat.postMessage"))
                        .authorityRequestId("mission-42:support-update")
                        .build());
        assertThat(r.authorityRequestId()).isEqualTo("mission-42:support-update");
        assertThat(r.bodyText()).isNull();
        assertThat(r.bodyBytes()).isEmpty();
        assertThat(fake.journal().entries("POST", "/v1/proxy").get(0).idempotencyKey())
                .isEqualTo("mission-42:support-update");
    }

    @Test
    void aServiceOutsideThePassportIsRefusedBeforeSending() {
        h.client.passport().current();
        int before = fake.journal().entries().size();
        assertThatThrownBy(() -> h.client
                        .proxy()
                        .call(ProxyRequest.builder("github", "GET", url("/user"))
                                .build()))
                .isInstanceOf(StackCredentialOutsideScopeException.class)
                .hasMessageContaining("[slack]");
        assertThat(fake.journal().entries()).hasSize(before);
        assertThat(fake.securityEvents()).isEmpty();
    }

    @Test
    void badRequestsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> ProxyRequest.builder("slack", "TRACE", url("/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("method:");
        assertThatThrownBy(() -> ProxyRequest.builder("slack", "GET", "/relative"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("url:");
        assertThatThrownBy(() -> h.client
                        .proxy()
                        .call(ProxyRequest.builder("slack", "POST", url("/api/chat.postMessage"))
                                .jsonBody("{not json")
                                .build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("jsonBody:");
        assertThatThrownBy(() -> h.client.proxy().interceptor("svc_conn_abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connection id");
    }
}
