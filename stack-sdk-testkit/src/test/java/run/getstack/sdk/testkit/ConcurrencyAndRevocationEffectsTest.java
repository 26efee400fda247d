package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ConcurrencyAndRevocationEffectsTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(TestClock.create()));

    @Test
    void concurrentCredentialCallsAreEachAuditedAndTheChainStaysIntact(FakeControlPlane fake) throws Exception {
        fake.detectors().mode(Signal.CREDENTIAL_BURST, DetectorMode.OFF);
        String agent = fake.seed()
                .newAgent("parallel")
                .mode(AccountabilityMode.ENFORCED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        fake.seed().grant(agent, fake.seed().connection("openai", "sk-par", "chat"), "chat");
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        int n = 32;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return new Http(fake)
                            .passport(p.token())
                            .get("/v1/credentials/openai")
                            .status();
                }));
            }
            go.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        StackAssertions.assertThat(fake.auditLog())
                .hasEntryCount("credential.retrieve", n)
                .hasValidChain();
        StackAssertions.assertThat(fake.journal()).hasRequestCount("GET", "/v1/credentials/openai", n);
    }

    @Test
    void aRevokedPassportFailsEveryCallPresentingIt(FakeControlPlane fake) throws Exception {
        String agent = fake.seed().agent("revoked-everywhere");
        String helper = fake.seed().agent("helper");
        fake.seed().grant(agent, fake.seed().connection("openai", "sk-rev", "chat"), "chat");
        SeededPassport p = fake.seed().passport(agent, "s", "openai");
        Http http = new Http(fake);
        http.post("/v1/passports/" + p.jti() + "/revoke", Map.of("reason", "test"));
        Http withP = http.passport(p.token());
        try (MockWebServer upstream = new MockWebServer()) {
            upstream.start();
            List<Http.Reply> replies = List.of(
                    withP.get("/v1/credentials/openai"),
                    withP.post("/v1/leases", Map.of("provider", "openai")),
                    withP.post(
                            "/v1/proxy",
                            Map.of(
                                    "service",
                                    "openai",
                                    "method",
                                    "GET",
                                    "url",
                                    upstream.url("/").toString())),
                    http.post(
                            "/v1/passports/delegate",
                            Map.of("parent_token", p.token(), "child_agent_id", helper, "scopes", List.of())),
                    http.post("/v1/passports/refresh", Map.of("token", p.token())),
                    http.post(
                            "/v1/passports/" + p.jti() + "/checkpoint",
                            Map.of("services_used", List.of(), "actions_count", 0, "summary", "s")));
            assertThat(replies).allSatisfy(r -> {
                Replies.assertError(r, 401, "PASSPORT_REVOKED");
                assertThat(r.text()).doesNotContain("sk-rev");
            });
            assertThat(upstream.getRequestCount()).isZero();
        }
    }
}
