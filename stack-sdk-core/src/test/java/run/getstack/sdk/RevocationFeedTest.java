package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.revocation.internal.RevocationFeed;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * One poll of the revocation feed against the fake, applied to the client's passport guard: a passport revoked
 * elsewhere is refused at once (no refresh, no clock advance), by the holder and by credential calls.
 */
class RevocationFeedTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        this.agent = fake.seed().agent("feed-bot", "standard");
        String openai = fake.seed().connection("openai", "sk-test-feed", "chat");
        fake.seed().grant(agent, openai, "chat");
    }

    private StackClient.Builder client() {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(
                        PassportRefreshPolicy.builder().jitterFraction(0).build())
                // these tests drive one feed poll by hand; the client's own follower would race them to the guard
                .revocationFollower(false);
    }

    private static RevocationFeed feed(StackClient c) {
        return new RevocationFeed(c.transport(), CLOCK);
    }

    @Test
    void aRevocationSeenOnTheFeedIsRefusedAtOnceEverywhere() {
        try (StackClient holder = client().build();
                StackClient operator = client().build()) {
            Passport held = holder.passport().current();
            RevocationFeed feed = feed(holder);
            RevocationFeed.Page head = feed.poll(null, 0);
            assertThat(head.events()).isEmpty();

            operator.passports().revoke(held.jti(), "compromised");
            RevocationFeed.Page page = feed.poll(head.cursor(), 0);
            assertThat(page.events()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("single");
                assertThat(e.jtis()).containsExactly(held.jti());
            });
            int before = fake.journal().entries().size();

            feed.apply(page, holder.passportGuard());

            assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
            assertThat(holder.passport().isTerminal()).isTrue();
            assertThatThrownBy(() -> holder.credentials().get("openai"))
                    .isInstanceOf(StackPassportRevokedException.class);
            assertThatThrownBy(() -> holder.passports().requireUsable(held))
                    .isInstanceOf(StackPassportRevokedException.class)
                    .hasMessageContaining("revocation feed: single");
            assertThat(fake.journal().entries())
                    .as("refused locally: nothing sent after the feed said revoked")
                    .hasSize(before);
        }
    }

    @Test
    void anAgentWideRevocationReachesTheHeldPassportThroughItsJtis() {
        try (StackClient holder = client().build();
                StackClient operator = client().build()) {
            Passport held = holder.passport().current();
            RevocationFeed feed = feed(holder);
            String cursor = feed.poll(null, 0).cursor();

            operator.passports().revokeAgent(agent, "agent retired");
            RevocationFeed.Page page = feed.poll(cursor, 0);
            assertThat(page.events()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("bulk_agent");
                assertThat(e.jtis()).contains(held.jti());
            });
            feed.apply(page, holder.passportGuard());

            assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        }
    }

    @Test
    void resumingFromTheReturnedCursorMissesNoEventAndRepeatsNone() {
        try (StackClient a = client().build();
                StackClient b = client().build();
                StackClient operator = client().build()) {
            Passport first = a.passport().current();
            Passport second = b.passport().current();
            RevocationFeed feed = feed(operator);
            String cursor = feed.poll(null, 0).cursor();

            operator.passports().revoke(first.jti(), "one");
            RevocationFeed.Page one = feed.poll(cursor, 0);
            operator.passports().revoke(second.jti(), "two");
            RevocationFeed.Page two = feed.poll(one.cursor(), 0);
            RevocationFeed.Page none = feed.poll(two.cursor(), 0);

            assertThat(one.events())
                    .singleElement()
                    .satisfies(e -> assertThat(e.jtis()).containsExactly(first.jti()));
            assertThat(two.events())
                    .singleElement()
                    .satisfies(e -> assertThat(e.jtis()).containsExactly(second.jti()));
            assertThat(none.events()).isEmpty();
            // polling from the older cursor again yields both, oldest first
            assertThat(feed.poll(cursor, 0).events())
                    .extracting(e -> e.jtis().get(0))
                    .containsExactly(first.jti(), second.jti());
        }
    }

    @Test
    void anUnknownCursorSaysCursorExpired() {
        try (StackClient c = client().build()) {
            assertThatThrownBy(() -> feed(c).poll("c_999999999", 0))
                    .isInstanceOf(RevocationFeed.CursorExpiredException.class)
                    .hasCauseInstanceOf(StackException.class);
        }
    }

    @Test
    void waitOutsideZeroToThirtyIsRefusedNamingTheParameter() {
        try (StackClient c = client().build()) {
            assertThatThrownBy(() -> feed(c).poll(null, 31))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("waitSeconds");
            assertThatThrownBy(() -> feed(c).poll(null, -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("waitSeconds");
        }
    }
}
