package run.getstack.sdk.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.scheduler.ManualTaskScheduler;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.proxy.ProxyRequest;
import run.getstack.sdk.revocation.internal.RevocationFollower;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The revocation follower against the fake, driven by a manual scheduler on the test clock with {@code wait=0}: a
 * revocation on the feed is refused at once everywhere; the feed dropping loses nothing; {@code CURSOR_EXPIRED}
 * re-syncs; an outage within the bound is served, past it fails closed (or open when chosen).
 */
class RevocationFollowerTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;
    String agent;
    ManualTaskScheduler scheduler;
    StackClient holder;
    StackClient operator;
    final List<ClientEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        fake.faults().clear();
        this.agent = fake.seed()
                .newAgent("follow-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // reads credentials and takes leases
                .create();
        String openai = fake.seed().connection("openai", "sk-test-follow", "chat");
        fake.seed().grant(agent, openai, "chat");
        scheduler = new ManualTaskScheduler(CLOCK);
        holder = holder(b -> {});
        operator = ClientTestHooks.withoutRevocationFollower(base()).build();
        ClientTestHooks.events(holder).subscribe(e -> {
            if (e.action().startsWith("revocation.")) {
                seen.add(e);
            }
        });
    }

    @AfterEach
    void close() {
        holder.close();
        operator.close();
    }

    StackClient.Builder base() {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(
                        PassportRefreshPolicy.builder().jitterFraction(0).build());
    }

    StackClient holder(Consumer<StackClient.Builder> config) {
        StackClient.Builder b = base();
        ClientTestHooks.scheduler(b, scheduler);
        ClientTestHooks.revocationWait(b, 0);
        ClientTestHooks.random(b, () -> 0.0);
        config.accept(b);
        return b.build();
    }

    /** Advances the clock by one poll interval ({@code max(wait, 1 s)}) and runs what fell due. */
    void tick() {
        CLOCK.advance(Duration.ofSeconds(1));
        scheduler.runDue();
    }

    int feedPolls() {
        return fake.journal().count("GET", "/v1/revocations");
    }

    @Test
    void aRevocationOnTheFeedRefusesCredentialsLeasesProxyAndTheHolderWithoutARequest() {
        Passport held = holder.passport().current();
        scheduler.runDue(); // the follower starts: head cursor, status of the held jti, first poll
        assertThat(ClientTestHooks.revocationFollower(holder).mode()).isEqualTo(RevocationFollower.Mode.FEED);
        assertThat(holder.credentials().get("openai")).isNotNull();

        operator.passports().revoke(held.jti(), "compromised laptop");
        tick();
        int before = fake.journal().entries().size();

        assertThatThrownBy(() -> holder.credentials().get("openai")).isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> holder.leases().acquire(LeaseRequest.provider("openai")))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> holder.proxy()
                        .call(ProxyRequest.builder("openai", "GET", "https://api.openai.com/v1/models")
                                .build()))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
        assertThat(holder.passport().isTerminal()).isTrue();
        assertThat(fake.journal().entries()).as("refused locally").hasSize(before);
        assertThat(seen)
                .filteredOn(e -> e.action().equals("revocation.seen"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.passportJti()).isEqualTo(held.jti());
                    assertThat(e.detail())
                            .containsEntry("reason", "compromised laptop")
                            .containsEntry("event_type", "revocation.single");
                });
    }

    @Test
    void aDroppedFeedResumesFromItsCursorAndMissesNoEvent() {
        Passport held = holder.passport().current();
        scheduler.runDue();
        Passport other = operator.passports()
                .issue(
                        agent,
                        PassportRequest.builder()
                                .missionId(fake.seed().mission(agent, "a second passport", "openai"))
                                .build());
        ClientTestHooks.revocationFollower(holder).hold(other);
        fake.faults().on("GET", "/v1/revocations").failTimes(2, 503);

        operator.passports().revoke(other.jti(), "first, while the feed is down");
        tick(); // fails; backoff 0.5 s
        tick(); // fails; backoff 1 s
        operator.passports().revoke(held.jti(), "second, while the feed is down");
        tick(); // succeeds from the same cursor

        assertThat(seen)
                .filteredOn(e -> e.action().equals("revocation.seen"))
                .extracting(ClientEvent::passportJti)
                .containsExactly(other.jti(), held.jti());
        List<JournalEntry> polls = fake.journal().entries("GET", "/v1/revocations");
        int firstFailed = 0;
        while (polls.get(firstFailed).fault() == null) {
            firstFailed++;
        }
        assertThat(polls.subList(firstFailed, firstFailed + 3))
                .as("both retries resume from the cursor of the failed poll")
                .extracting(JournalEntry::query)
                .containsOnly(polls.get(firstFailed).query());
        assertThatThrownBy(() -> holder.passport().current()).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void cursorExpiredReSyncsFromTheHeadAndAsksTheStatusOfEveryHeldPassport() {
        Passport held = holder.passport().current();
        scheduler.runDue();
        int statusAsks = fake.journal().count("GET", "/v1/revocations/{jti}");
        fake.faults()
                .on("GET", "/v1/revocations")
                .respondWith(410, "CURSOR_EXPIRED")
                .times(1);
        // revoked while the cursor is lost: only the re-sync's status check can tell
        operator.passports().revoke(held.jti(), "while the cursor expired");

        tick();

        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}")).isEqualTo(statusAsks + 1);
        assertThat(seen).extracting(ClientEvent::action).contains("revocation.resync", "revocation.seen");
        assertThatThrownBy(() -> holder.credentials().get("openai")).isInstanceOf(StackPassportRevokedException.class);
    }

    @Test
    void anOutageShorterThanTheBoundIsServedAndALongerOneFailsClosed() {
        holder.passport().current();
        scheduler.runDue();
        fake.faults().on("GET", "/v1/revocations").respondWith(503);
        fake.faults().on("GET", "/v1/revocations/{jti}").respondWith(503);

        CLOCK.advance(Duration.ofSeconds(59));
        scheduler.runDue();
        assertThat(holder.credentials().get("openai"))
                .as("59 s old knowledge: within the bound")
                .isNotNull();

        CLOCK.advance(Duration.ofSeconds(2));
        scheduler.runDue();
        int credentialCalls = fake.journal().count("GET", "/v1/credentials/{provider}");
        assertThatThrownBy(() -> holder.credentials().get("openai"))
                .isInstanceOf(StackRevocationUnknownException.class)
                .hasMessageContaining("unknown")
                .hasMessageContaining("60 s")
                .satisfies(e -> assertThat(((StackRevocationUnknownException) e).bound())
                        .isEqualTo(Duration.ofSeconds(60)));
        assertThatThrownBy(() -> holder.leases().acquire(LeaseRequest.provider("openai")))
                .isInstanceOf(StackRevocationUnknownException.class);
        assertThat(fake.journal().count("GET", "/v1/credentials/{provider}"))
                .as("nothing sent")
                .isEqualTo(credentialCalls);

        fake.faults().clear();
        assertThat(holder.credentials().get("openai"))
                .as("served again once the status answers")
                .isNotNull();
    }

    @Test
    void failOpenServesThroughAnOutageLongerThanTheBound() {
        holder.close();
        scheduler = new ManualTaskScheduler(CLOCK);
        holder = holder(b -> b.revocationFailOpen(true).revocationStaleness(Duration.ofSeconds(10)));
        ClientTestHooks.events(holder).subscribe(e -> {
            if (e.action().startsWith("revocation.")) {
                seen.add(e);
            }
        });
        holder.passport().current();
        scheduler.runDue();
        fake.faults().on("GET", "/v1/revocations").respondWith(503);
        fake.faults().on("GET", "/v1/revocations/{jti}").respondWith(503);
        CLOCK.advance(Duration.ofSeconds(11));
        scheduler.runDue();

        assertThat(holder.credentials().get("openai")).isNotNull();
        assertThat(seen).extracting(ClientEvent::action).contains("revocation.unknown");
    }

    @Test
    void aZeroBoundAsksTheStatusBeforeEveryCall() {
        holder.close();
        scheduler = new ManualTaskScheduler(CLOCK);
        holder = holder(b -> b.revocationStaleness(Duration.ZERO));
        holder.passport().current();
        scheduler.runDue();
        int asks = fake.journal().count("GET", "/v1/revocations/{jti}");

        holder.credentials().get("openai");
        holder.credentials().get("openai");

        assertThat(fake.journal().count("GET", "/v1/revocations/{jti}")).isEqualTo(asks + 2);
    }

    @Test
    void theBoundIsValidated() {
        assertThatThrownBy(() -> StackClient.builder().revocationStaleness(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revocationStaleness");
        assertThatThrownBy(() -> StackClient.builder().revocationStaleness(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("revocationStaleness");
        try (StackClient c = base().build()) {
            assertThat(c.revocationStaleness()).isEqualTo(Duration.ofSeconds(60));
            assertThat(c.revocationFailOpen()).isFalse();
        }
    }

    @Test
    void closingTheClientStopsTheFollower() {
        holder.passport().current();
        scheduler.runDue();
        RevocationFollower f = ClientTestHooks.revocationFollower(holder);
        assertThat(f.isRunning()).isTrue();
        int polls = feedPolls();

        holder.close();
        tick();

        assertThat(f.isRunning()).isFalse();
        assertThat(feedPolls()).isEqualTo(polls);
    }
}
