package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.revocation.internal.RevocationFeed;
import run.getstack.sdk.revocation.internal.RevocationFollower;

/**
 * Feed answers the fake cannot produce, scripted on MockWebServer: a {@code bulk_claim} cascade (the fake has no
 * identity-claim revocation), a reason that carries a token, and an oversized page.
 */
class RevocationFollowerOddFeedTest extends TransportTestSupport {
    static final String JTI = "pp_held";

    private final ManualTaskScheduler scheduler = new ManualTaskScheduler(clock);
    private final PassportGuard guard = new PassportGuard(clock);
    private final ClientEvents events = new ClientEvents();

    private RevocationFollower follower(StackClient c) {
        return new RevocationFollower(
                new RevocationFeed(c.transport(), clock),
                guard,
                scheduler,
                events,
                clock,
                () -> 0.0,
                Duration.ofSeconds(60),
                false,
                0,
                Optional::empty);
    }

    private void head() {
        server.enqueue(json(200, "{\"events\":[],\"cursor\":\"c_1\"}"));
        server.enqueue(json(200, "{\"jti\":\"" + JTI + "\",\"revoked\":false,\"checked_at\":1,\"state\":\"active\"}"));
    }

    private static MockResponse page(String type, String reason) {
        return json(
                200,
                "{\"events\":[{\"cursor\":\"c_2\",\"type\":\"" + type + "\",\"claim_id\":\"clm_1\",\"jtis\":[\"" + JTI
                        + "\"],\"reason\":\"" + reason + "\",\"at\":1}],\"cursor\":\"c_2\"}");
    }

    @Test
    void aClaimRevocationEndsTheHeldPassportWithItsEventType() {
        try (StackClient c = clientBuilder().retryPolicy(RetryPolicy.none()).build()) {
            RevocationFollower f = follower(c);
            java.util.List<ClientEvent> seen = new java.util.ArrayList<>();
            events.subscribe(seen::add);
            head();
            server.enqueue(page("bulk_claim", "claim_revoked: clm_1"));
            server.enqueue(json(200, "{\"events\":[],\"cursor\":\"c_2\"}"));

            f.hold(JTI, clock.instant().plusSeconds(900), clock.instant(), null);
            scheduler.runDue();

            assertThat(guard.isRevoked(JTI)).isTrue();
            assertThat(guard.ended(JTI)).hasValueSatisfying(e -> {
                assertThat(e.eventType()).isEqualTo("revocation.bulk_claim");
                assertThat(e.why()).contains("claim_revoked: clm_1");
            });
            assertThat(seen).extracting(ClientEvent::action).containsExactly("revocation.seen");
            f.close();
        }
    }

    @Test
    void aReasonCarryingATokenIsWithheldFromTheEventAndTheGuard() {
        try (StackClient c = clientBuilder().retryPolicy(RetryPolicy.none()).build()) {
            RevocationFollower f = follower(c);
            java.util.List<ClientEvent> seen = new java.util.ArrayList<>();
            events.subscribe(seen::add);
            head();
            String jwt = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl";
            server.enqueue(page("single", "leaked " + jwt));
            server.enqueue(json(200, "{\"events\":[],\"cursor\":\"c_2\"}"));

            f.hold(JTI, clock.instant().plusSeconds(900), clock.instant(), null);
            scheduler.runDue();

            assertThat(guard.ended(JTI))
                    .hasValueSatisfying(e -> assertThat(e.why()).doesNotContain(jwt));
            assertThat(seen)
                    .singleElement()
                    .satisfies(e -> assertThat(e.detail().toString()).doesNotContain(jwt));
            f.close();
        }
    }

    @Test
    void anOversizedPageIsRefusedAndRetriedFromTheSameCursor() {
        try (StackClient c = clientBuilder().retryPolicy(RetryPolicy.none()).build()) {
            RevocationFollower f = follower(c);
            head();
            StringBuilder big = new StringBuilder("{\"events\":[");
            for (int i = 0; i < 501; i++) {
                big.append(i == 0 ? "" : ",")
                        .append("{\"cursor\":\"c_9\",\"type\":\"single\",\"jtis\":[\"" + JTI
                                + "\"],\"reason\":\"x\",\"at\":1}");
            }
            server.enqueue(json(200, big.append("],\"cursor\":\"c_9\"}").toString()));

            f.hold(JTI, clock.instant().plusSeconds(900), clock.instant(), null);
            scheduler.runDue();

            assertThat(guard.isRevoked(JTI))
                    .as("nothing applied from a malformed page")
                    .isFalse();
            assertThat(scheduler.nextDue()).as("backing off").isAfter(clock.instant());
            f.close();
        }
    }
}
