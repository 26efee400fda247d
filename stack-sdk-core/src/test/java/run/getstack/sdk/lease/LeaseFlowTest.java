package run.getstack.sdk.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.CapabilityTestSupport;
import run.getstack.sdk.CapabilityTestSupport.Harness;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackException;
import run.getstack.sdk.credential.StackCredentialOutsideScopeException;
import run.getstack.sdk.credential.StackProxyOnlyException;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.testkit.AccountabilityMode;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Leases against the fake control plane, on its clock, with the client's background work run by hand. */
class LeaseFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    static final String OPENAI_KEY = "sk-test-lease-openai-7f3a9c";
    static final String SLACK_TOKEN = "xoxb-test-lease-slack-41d2";

    static final String GRANT = "/v1/leases";
    static final String RENEW = "/v1/leases/*/renew";
    static final String RELEASE = "/v1/leases/*";

    private FakeControlPlane fake;
    private String agent;
    private String openai;
    private Harness h;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        run.getstack.sdk.LogLeakCheck.watch(OPENAI_KEY, SLACK_TOKEN, "ghp_test_lease_github");
        this.fake = fake;
        this.agent = fake.seed()
                .newAgent("lease-bot")
                .mode(AccountabilityMode.STANDARD)
                .credentialAccess(CredentialAccess.DIRECT) // takes leases
                .create();
        this.openai = fake.seed().connection("openai", OPENAI_KEY, "chat");
        fake.seed().connection("slack", SLACK_TOKEN, "chat:write");
        fake.seed().grant(agent, openai, "chat");
        this.h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
    }

    @AfterEach
    void close() {
        h.close();
    }

    private int count(String method, String path) {
        return fake.journal().count(method, path);
    }

    private static LeaseRequest openai300() {
        return LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(300));
    }

    @Test
    void aLeaseCarriesTheCredentialItsTimesAndOnlyAFingerprintOfItsId() {
        Instant t0 = CLOCK.instant();
        try (Lease lease = h.client.leases().acquire(openai300())) {
            assertThat(lease.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
            assertThat(lease.provider()).isEqualTo("openai");
            assertThat(lease.connectionId()).isEqualTo(openai);
            assertThat(lease.passportJti())
                    .isEqualTo(h.client.passport().current().jti());
            assertThat(lease.issuedAt()).isEqualTo(t0);
            assertThat(lease.expiresAt()).isEqualTo(t0.plusSeconds(300));
            assertThat(lease.maxExpiresAt()).isEqualTo(t0.plusSeconds(1200));
            assertThat(lease.renewable()).isTrue();
            assertThat(lease.isLocal()).isFalse();
            String rawId = fake.journal().entries().stream()
                    .filter(e -> e.path().startsWith("/v1/leases"))
                    .findFirst()
                    .map(e -> e.body())
                    .orElseThrow();
            assertThat(lease.fingerprint()).hasSize(8).matches("[0-9a-f]{8}");
            assertThat(lease.toString())
                    .contains(lease.fingerprint())
                    .doesNotContain(OPENAI_KEY)
                    .doesNotContain("lse_");
            assertThat(rawId).isNotEmpty();
        }
        // the last hold closed: released on the control plane
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        assertThat(fake.auditLog().actions()).contains("credential.lease", "credential.lease_release");
    }

    @Test
    void concurrentHoldersShareOneLeaseWhichIsReleasedWhenTheLastHoldCloses() {
        Lease a = h.client.leases().acquire(openai300());
        Lease b = h.client.leases().acquire(openai300().withPurpose("another purpose, same credential"));
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        assertThat(count("POST", GRANT)).isEqualTo(1);
        a.close();
        assertThat(count("DELETE", RELEASE)).isZero();
        assertThat(b.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        assertThatThrownBy(a::value).isInstanceOf(StackLeaseRevokedException.class);
        b.close();
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        assertThatThrownBy(b::value)
                .isInstanceOf(StackLeaseRevokedException.class)
                .hasMessageNotContaining(OPENAI_KEY);
    }

    @Test
    void aThousandThreadsAcquiringTheSameCredentialSendExactlyOneRequest() throws Exception {
        int n = 1000;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Lease> leases = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        h.client.passport().current(); // the passport is not what this test counts
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    leases.add(h.client.leases().acquire(openai300()));
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failures).isEmpty();
        assertThat(leases).hasSize(n);
        assertThat(leases.stream().map(Lease::fingerprint).distinct()).hasSize(1);
        assertThat(count("POST", GRANT)).isEqualTo(1);
        leases.forEach(Lease::close);
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
    }

    @Test
    void aLeaseIsReusedUntilItsRenewalPointAndRenewedFromTheTimeLeft() {
        Instant t0 = CLOCK.instant();
        Lease holder = h.client.leases().acquire(openai300());
        // renewal point: 2/3 of the 300 s left = t0 + 200 s
        CLOCK.advance(Duration.ofSeconds(199));
        h.client.leases().acquire(openai300()).close();
        assertThat(count("POST", RENEW)).isZero();
        // a late caller: renewal happens at t0 + 250, when 50 s are left
        CLOCK.advance(Duration.ofSeconds(51));
        h.client.leases().acquire(openai300()).close();
        assertThat(count("POST", RENEW)).isEqualTo(1);
        assertThat(holder.expiresAt()).isEqualTo(t0.plusSeconds(550));
        // the next renewal point is 2/3 of the 300 s now left (t0 + 450), not 2/3 of a lifetime counted from issue
        CLOCK.set(t0.plusSeconds(449));
        h.client.leases().acquire(openai300()).close();
        assertThat(count("POST", RENEW)).isEqualTo(1);
        CLOCK.set(t0.plusSeconds(450));
        h.client.leases().acquire(openai300()).close();
        assertThat(count("POST", RENEW)).isEqualTo(2);
        assertThat(count("POST", GRANT)).isEqualTo(1);
        assertThat(holder.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        assertThat(h.actions()).contains("lease.acquired", "lease.renewed");
        holder.close();
    }

    @Test
    void aLeaseCappedByItsPassportIsRenewedAtTwoThirdsOfWhatWasGrantedNotOfWhatWasAsked() {
        h.close();
        h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent)
                        .passportRequest(run.getstack.sdk.passport.PassportRequest.builder()
                                .ttl(Duration.ofSeconds(600))
                                .build()),
                CLOCK);
        Instant t0 = CLOCK.instant();
        Lease lease = h.client.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(900)));
        assertThat(lease.expiresAt()).isEqualTo(t0.plusSeconds(600));
        CLOCK.advance(Duration.ofSeconds(399));
        h.client
                .leases()
                .acquire(LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(900)))
                .close();
        assertThat(count("POST", GRANT) + count("POST", RENEW)).isEqualTo(1);
        CLOCK.advance(Duration.ofSeconds(1));
        h.client
                .leases()
                .acquire(LeaseRequest.provider("openai").withTtl(Duration.ofSeconds(900)))
                .close();
        // at the ceiling (the passport's expiry): not renewed but replaced, under the refreshed passport
        assertThat(count("POST", GRANT)).isEqualTo(2);
        lease.close();
    }

    @Test
    void aRefusedRenewalAcquiresANewLeaseWhichOverlapsTheOldOne() {
        Lease old = h.client.leases().acquire(openai300());
        fake.faults().on("POST", RENEW).respondWith(404, "LEASE_NOT_FOUND").times(1);
        CLOCK.advance(Duration.ofSeconds(200));
        Lease next = h.client.leases().acquire(openai300());
        assertThat(count("POST", RENEW)).isEqualTo(1);
        assertThat(count("POST", GRANT)).isEqualTo(2);
        assertThat(next.fingerprint()).isNotEqualTo(old.fingerprint());
        // overlap: the old lease still serves its holder until it is closed or expires
        assertThat(old.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        assertThat(count("DELETE", RELEASE)).isZero();
        old.close();
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        assertThat(next.isLive()).isTrue();
        next.close();
    }

    @Test
    void nearTheCeilingANewLeaseIsAcquiredEarlyAndOverlapsTheOld() {
        Instant t0 = CLOCK.instant();
        Lease first = h.client.leases().acquire(openai300());
        assertThat(first.maxExpiresAt()).isEqualTo(t0.plusSeconds(1200));
        // renewals at t0+200, 400, 600, 800, 1000 (the last one reaches the ceiling), then replacement
        Lease latest = first;
        for (int i = 1; i <= 6; i++) {
            // to the renewal point: 2/3 of the time left, rounded up to the second
            long left = Duration.between(CLOCK.instant(), first.expiresAt()).toSeconds();
            CLOCK.advance(Duration.ofSeconds((left * 2 + 2) / 3));
            Lease l = h.client.leases().acquire(openai300());
            if (!l.fingerprint().equals(first.fingerprint())) {
                latest = l;
                break;
            }
            l.close();
        }
        assertThat(latest.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(count("POST", GRANT)).isEqualTo(2);
        assertThat(first.renewable()).isFalse();
        assertThat(first.expiresAt()).isEqualTo(t0.plusSeconds(1200));
        // the old lease is still served (overlap) until its expiry
        assertThat(first.isLive()).isTrue();
        assertThat(first.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        CLOCK.set(t0.plusSeconds(1200));
        assertThatThrownBy(first::value).isInstanceOf(StackLeaseExpiredException.class);
        assertThat(latest.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        first.close();
        latest.close();
    }

    @Test
    void anUnreachableControlPlaneNeverEndsALeaseBeforeItsExpiryAndAfterItTheErrorIsTypedAndImmediate() {
        Instant t0 = CLOCK.instant();
        Lease lease = h.client.leases().acquire(openai300());
        fake.faults().on("*", "/v1/leases/**").respondWith(503);
        CLOCK.set(t0.plusSeconds(200));
        try (Lease again = h.client.leases().acquire(openai300())) {
            assertThat(again.fingerprint()).isEqualTo(lease.fingerprint());
        }
        assertThat(count("POST", RENEW)).isEqualTo(1);
        // retried with backoff, not on every call
        h.client.leases().acquire(openai300()).close();
        assertThat(count("POST", RENEW)).isEqualTo(1);
        CLOCK.set(t0.plusSeconds(299));
        try (Lease again = h.client.leases().acquire(openai300())) {
            assertThat(again.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        }
        assertThat(lease.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        CLOCK.set(t0.plusSeconds(300));
        assertThatThrownBy(lease::value)
                .isInstanceOf(StackLeaseExpiredException.class)
                .hasMessageContaining(lease.fingerprint())
                .hasMessageNotContaining(OPENAI_KEY);
        assertThatThrownBy(() -> h.client.leases().acquire(openai300())).isInstanceOf(StackException.class);
        int sent = fake.journal().entries().size();
        // a second caller right after gets the failure at once, without another request
        assertThatThrownBy(() -> h.client.leases().acquire(openai300())).isInstanceOf(StackException.class);
        assertThat(fake.journal().entries()).hasSize(sent);
        // the control plane is back: a new lease
        fake.faults().clear();
        CLOCK.advance(Duration.ofSeconds(30));
        try (Lease fresh = h.client.leases().acquire(openai300())) {
            assertThat(fresh.fingerprint()).isNotEqualTo(lease.fingerprint());
        }
        lease.close();
    }

    @Test
    void aStormOf429sIsWaitedOutPerRetryAfterWithOneLogicalAcquire() throws Exception {
        h.close();
        h = CapabilityTestSupport.harness(
                CapabilityTestSupport.builder(fake, CLOCK, agent).retryPolicy(RetryPolicy.defaults()), CLOCK);
        h.client.passport().current();
        fake.faults().on("POST", GRANT).failTimes(2, 429).withRetryAfter(Duration.ofSeconds(1));
        int n = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Lease> leases = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    leases.add(h.client.leases().acquire(openai300()));
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(failures).isEmpty();
        assertThat(leases).hasSize(n);
        List<JournalEntry> grants = fake.journal().entries("POST", GRANT);
        assertThat(grants).hasSize(3);
        assertThat(grants.stream().map(JournalEntry::idempotencyKey).distinct()).hasSize(1);
        assertThat(h.sleeps).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        leases.forEach(Lease::close);
    }

    @Test
    void aProviderOutsideThePassportIsRefusedLocallyNamingItsServicesAndNothingIsSent() {
        h.client.passport().current();
        int before = fake.journal().entries().size();
        assertThatThrownBy(() -> h.client.leases().acquire(LeaseRequest.provider("slack")))
                .isInstanceOfSatisfying(StackCredentialOutsideScopeException.class, e -> {
                    assertThat(e.requested()).isEqualTo("slack");
                    assertThat(e.passportServices()).containsExactly("openai");
                    assertThat(e.httpStatus()).isZero();
                })
                .hasMessageContaining("slack")
                .hasMessageContaining("[openai]");
        assertThat(fake.journal().entries()).hasSize(before);
        assertThat(fake.securityEvents()).isEmpty();
        assertThat(h.actions()).contains("local.refused");
    }

    @Test
    void aConnectionIdGivenAsAProviderIsRefusedWithAHint() {
        assertThatThrownBy(() -> LeaseRequest.provider(openai))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LeaseRequest.connection");
        assertThatThrownBy(() -> LeaseRequest.provider("scon_abc123"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connection id");
        try (Lease byConnection = h.client.leases().acquire(LeaseRequest.connection(openai))) {
            assertThat(byConnection.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        }
    }

    @Test
    void aProxyOnlyAgentIsToldToUseTheProxy() {
        fake.seed()
                .agentSettings(agent)
                .credentialAccess(CredentialAccess.PROXY_ONLY)
                .apply();
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackProxyOnlyException.class)
                .hasMessageContaining("client.proxy()");
        assertThat(h.client.passport().isTerminal()).isFalse();
    }

    @Test
    void revokingThePassportEndsItsLeasesReleasesThemAndRefusesNewOnes() {
        Lease lease = h.client.leases().acquire(openai300());
        Passport p = h.client.passport().current();
        h.client.passports().revoke(p.jti(), "test");
        assertThatThrownBy(lease::value)
                .isInstanceOfSatisfying(
                        StackLeaseRevokedException.class,
                        e -> assertThat(e.why()).isEqualTo(StackLeaseRevokedException.Why.PASSPORT_REVOKED));
        assertThat(lease.isLive()).isFalse();
        h.scheduler.runDue(); // the remote release runs in the background
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThat(count("POST", GRANT)).isEqualTo(1);
        assertThat(h.actions()).contains("lease.revoked");
    }

    @Test
    void aRevocationLearnedFromARenewalEndsTheLeaseToo() {
        Lease lease = h.client.leases().acquire(openai300());
        // revoked on the control plane behind the client's back (a detector, an operator)
        fake.journal().clear();
        rawRevoke(h.client.passport().current().jti());
        CLOCK.advance(Duration.ofSeconds(200));
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackPassportRevokedException.class);
        assertThatThrownBy(lease::value).isInstanceOf(StackLeaseRevokedException.class);
        assertThat(h.client.passport().isTerminal()).isTrue();
    }

    private void rawRevoke(String jti) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create(fake.baseUrl() + "/v1/passports/" + jti + "/revoke"))
                                    .header("Authorization", "Bearer " + fake.operatorApiKey())
                                    .header("Content-Type", "application/json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                            "{\"reason\":\"detector\"}"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isBetween(200, 299);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void checkoutEndsAndReleasesTheLeasesOfThePassport() {
        Lease lease = h.client.leases().acquire(openai300());
        Passport p = h.client.passport().current();
        h.client.passports().checkout(p, CheckoutRequest.success("done"));
        assertThatThrownBy(lease::value)
                .isInstanceOfSatisfying(
                        StackLeaseRevokedException.class,
                        e -> assertThat(e.why()).isEqualTo(StackLeaseRevokedException.Why.PASSPORT_CHECKED_OUT));
        h.scheduler.runDue();
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        assertThatThrownBy(() -> h.client.leases().acquire(openai300()))
                .isInstanceOf(StackPassportCheckedOutException.class);
    }

    @Test
    void closingTheClientReleasesEveryLease() {
        fake.seed().grant(agent, fake.seed().connection("github", "ghp_test_lease_github", "repo"), "repo");
        h.close();
        h = CapabilityTestSupport.harness(CapabilityTestSupport.builder(fake, CLOCK, agent), CLOCK);
        Lease a = h.client.leases().acquire(openai300());
        Lease b = h.client.leases().acquire(LeaseRequest.provider("github"));
        h.client.close();
        assertThat(count("DELETE", RELEASE)).isEqualTo(2);
        assertThatThrownBy(a::value)
                .isInstanceOfSatisfying(
                        StackLeaseRevokedException.class,
                        e -> assertThat(e.why()).isEqualTo(StackLeaseRevokedException.Why.CLIENT_CLOSED));
        assertThatThrownBy(b::secret).isInstanceOf(StackLeaseRevokedException.class);
        assertThatThrownBy(() -> h.client.leases().acquire(openai300())).isInstanceOf(StackLeaseRevokedException.class);
    }

    @Test
    void invalidateAfterAnUpstreamRefusalFetchesOneFreshLeaseOnce() {
        Lease old = h.client.leases().acquire(openai300());
        Lease other = h.client.leases().acquire(openai300());
        Lease fresh = old.invalidate();
        Lease again = other.invalidate(); // a second holder of the same refused lease
        assertThat(fresh.fingerprint()).isNotEqualTo(old.fingerprint());
        assertThat(again.fingerprint()).isEqualTo(fresh.fingerprint());
        assertThat(count("POST", GRANT)).isEqualTo(2);
        // new acquirers get the replacement
        try (Lease next = h.client.leases().acquire(openai300())) {
            assertThat(next.fingerprint()).isEqualTo(fresh.fingerprint());
        }
        old.close();
        other.close();
        assertThat(count("DELETE", RELEASE)).isEqualTo(1);
        fresh.close();
        again.close();
        assertThat(count("DELETE", RELEASE)).isEqualTo(2);
    }

    @Test
    void withoutLeaseEndpointsALeaseWrapsAPlainCredentialReadForTheClientsLifetime() {
        fake.faults().on("POST", GRANT).respondWith(404, "NOT_FOUND");
        Instant t0 = CLOCK.instant();
        Lease lease = h.client.leases().acquire(openai300());
        assertThat(lease.isLocal()).isTrue();
        assertThat(lease.renewable()).isFalse();
        assertThat(lease.expiresAt()).isEqualTo(t0.plusSeconds(300));
        assertThat(lease.secret().revealPlaintext()).isEqualTo(OPENAI_KEY);
        assertThat(count("GET", "/v1/credentials/openai")).isEqualTo(1);
        // the extension is not asked for again
        try (Lease other = h.client.leases().acquire(LeaseRequest.provider("openai"))) {
            assertThat(other.isLocal()).isTrue();
        }
        assertThat(count("POST", GRANT)).isEqualTo(1);
        assertThat(count("GET", "/v1/credentials/openai")).isEqualTo(2);
        // at its renewal point a local lease is read again (nothing to renew), and it is never released remotely
        CLOCK.set(t0.plusSeconds(200));
        try (Lease refreshed = h.client.leases().acquire(openai300())) {
            assertThat(refreshed.fingerprint()).isNotEqualTo(lease.fingerprint());
        }
        assertThat(count("GET", "/v1/credentials/openai")).isEqualTo(3);
        assertThat(count("POST", RENEW)).isZero();
        lease.close();
        assertThat(count("DELETE", RELEASE)).isZero();
        assertThat(h.actions()).contains("lease.extension_absent");
    }

    @Test
    void aProviderThatIsNotConnectedIsANotFoundNotALocalLease() {
        fake.seed().grant(agent, openai, "chat");
        fake.faults().on("POST", GRANT).respondWith(404, "NOT_FOUND").times(1);
        h.client.passport().current();
        // the first 404 is the missing extension (the plain read works): local from now on
        h.client.leases().acquire(openai300()).close();
        assertThat(h.client.leases().acquire(openai300()).isLocal()).isTrue();
    }

    @Test
    void eventsNameTheLeaseByFingerprintAndCarryNoSecret() {
        Lease lease = h.client.leases().acquire(openai300());
        String raw = fake.journal().entries().stream()
                .filter(e -> e.method().equals("POST") && e.path().equals(GRANT))
                .findFirst()
                .orElseThrow()
                .requestId();
        CLOCK.advance(Duration.ofSeconds(200));
        h.client.leases().acquire(openai300()).close();
        lease.close();
        String rawId = fake.journal().entries().stream()
                .filter(e -> e.method().equals("DELETE"))
                .findFirst()
                .orElseThrow()
                .path()
                .substring("/v1/leases/".length());
        assertThat(h.actions()).contains("lease.acquired", "lease.renewed", "lease.released");
        assertThat(h.events)
                .allSatisfy(
                        e -> assertThat(e.toString()).doesNotContain(OPENAI_KEY).doesNotContain(rawId));
        assertThat(h.events.stream().filter(e -> e.action().startsWith("lease.")))
                .allSatisfy(e -> assertThat(e.detail()).containsEntry("lease", lease.fingerprint()));
        assertThat(raw).isNotEmpty();
    }
}
