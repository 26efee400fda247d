package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The route table and the HTTP front: unknown routes, odd requests, what is logged and journaled. */
class RoutesAndFrontTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void anUnknownRouteNamesMethodAndPathSoAWrongBaseUrlReadsDifferentlyFromAMissingAgent(FakeControlPlane fake) {
        Http.Reply wrongPath = new Http(fake).get("/v1/agnets");
        Replies.assertRefused(wrongPath, 404, "NOT_FOUND", "unknown_route");
        assertThat(wrongPath.json().path("error").path("message").asText()).contains("GET /v1/agnets");

        Http.Reply missingAgent = new Http(fake).get("/v1/agents/agt_missing");
        Replies.assertError(missingAgent, 404, "NOT_FOUND");
        assertThat(missingAgent.json().path("error").path("message").asText()).isEqualTo("Agent not found");
        assertThat(missingAgent.json().path("error").has("details")).isFalse();
    }

    @Test
    void anUnknownRouteMasksLeaseIdsAndSecretsInItsMessageAndTheJournal(FakeControlPlane fake) {
        String leaseId = "lse_" + "s3cr3t".repeat(5) + "ab";
        Http.Reply r = new Http(fake).get("/v1/leases/" + leaseId + "/extra");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.text()).doesNotContain(leaseId).contains("GET /v1/leases/lse:");

        Http.Reply key = new Http(fake).get("/v1/sk_live_op_pasted_by_mistake_0123456789");
        assertThat(key.status()).isEqualTo(404);
        assertThat(key.text()).doesNotContain("sk_live_op_pasted").contains("redacted:");

        assertThat(fake.journal().entries())
                .extracting(JournalEntry::path)
                .noneMatch(p -> p.contains(leaseId) || p.contains("sk_live_op_pasted"));
    }

    @Test
    void patchingPassportBlockedIsRefusedNamingTheFieldAndTheWayOut(FakeControlPlane fake) {
        String agent = fake.seed().agent("patch-blocked");
        Http.Reply r = new Http(fake).patch("/v1/agents/" + agent, Map.of("passport_blocked", false));
        Replies.assertError(r, 400, "INVALID_REQUEST");
        JsonNode issue = r.json().path("error").path("details").path("issues").path(0);
        assertThat(issue.path("path").asText()).isEqualTo("passport_blocked");
        assertThat(issue.path("message").asText()).contains("unblock");
        assertThat(new Http(fake)
                        .get("/v1/agents/" + agent)
                        .json()
                        .path("passport_blocked")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void theMockWebServerRequestLogNeverShowsALeaseId(FakeControlPlane fake) {
        java.util.logging.Logger mws = java.util.logging.Logger.getLogger(mockwebserver3.MockWebServer.class.getName());
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (mws.isLoggable(record.getLevel())
                        && (mws.getFilter() == null || mws.getFilter().isLoggable(record))) {
                    seen.add(String.valueOf(record.getMessage()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Level before = mws.getLevel();
        mws.setLevel(java.util.logging.Level.ALL);
        mws.addHandler(capture);
        try {
            String leaseId = "lse_" + "l0g".repeat(10) + "xy";
            assertThat(new Http(fake).delete("/v1/leases/" + leaseId).status()).isEqualTo(204);
            assertThat(seen).noneMatch(m -> m.contains(leaseId));
        } finally {
            mws.removeHandler(capture);
            mws.setLevel(before);
        }
    }
}
