package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/** The server clock offset, held requests and late answers: what a client's clock-skew and refresh tests need. */
class ServerClockAndHeldRequestsTest {
    private final TestClock clock = TestClock.create();
    private FakeControlPlane fake;
    private Http http;
    private String agent;

    @BeforeEach
    void start() {
        fake = FakeControlPlane.builder().clock(clock).start();
        http = new Http(fake);
        agent = fake.seed().agent("skewed", "standard");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Http.Reply issue() {
        // every passport belongs to a live mission of the agent (STACK live, stack_issue_passport)
        String mission = fake.seed().mission(agent, "clock test");
        return http.post(
                "/v1/passports/issue",
                Map.of("agent_id", agent, "ttl_seconds", 900, "mission_ids", java.util.List.of(mission)));
    }

    private static Instant date(Http.Reply r) {
        return ZonedDateTime.parse(r.header("Date"), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant();
    }

    @Test
    void aServerClockAheadMovesTheDateHeaderAndTheIssuedTimes() {
        fake.serverClockOffset(Duration.ofMinutes(10));
        Instant serverNow = clock.instant().plus(Duration.ofMinutes(10));

        Http.Reply r = issue();

        assertThat(r.status()).isEqualTo(201);
        assertThat(fake.serverClockOffset()).isEqualTo(Duration.ofMinutes(10));
        assertThat(date(r)).isEqualTo(serverNow);
        assertThat(Instant.parse(r.json().path("issued_at").asText())).isEqualTo(serverNow);
        assertThat(Instant.parse(r.json().path("expires_at").asText())).isEqualTo(serverNow.plusSeconds(900));
        Map<String, Object> claims = fake.passportClaims(r.json().path("jti").asText());
        assertThat(((Number) claims.get("iat")).longValue()).isEqualTo(serverNow.getEpochSecond());
        assertThat(((Number) claims.get("exp")).longValue())
                .isEqualTo(serverNow.plusSeconds(900).getEpochSecond());
    }

    @Test
    void aServerClockBehindDecidesExpiryOnItsOwnTime() {
        Http.Reply r = issue();
        String token = r.json().path("token").asText();
        fake.serverClockOffset(Duration.ofMinutes(-20));
        clock.advance(Duration.ofSeconds(1000)); // past expiry on the client's clock, not on the server's

        Http.Reply refreshed = http.post("/v1/passports/refresh", Map.of("token", token));

        assertThat(refreshed.status()).isEqualTo(201);
        assertThat(date(refreshed)).isEqualTo(clock.instant().minus(Duration.ofMinutes(20)));
    }

    @Test
    void resetSetsTheOffsetBackAndOffsetsAreBounded() {
        fake.serverClockOffset(Duration.ofHours(-3));
        fake.reset();
        assertThat(fake.serverClockOffset()).isZero();
        assertThatThrownBy(() -> fake.serverClockOffset(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("offset");
    }

    @Test
    void aHeldRequestIsJournalledButNotProcessedUntilReleased() throws Exception {
        FaultRule gate = fake.faults().on("POST", "/v1/passports/issue").hold();
        CompletableFuture<Http.Reply> reply = CompletableFuture.supplyAsync(this::issue);

        assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
        assertThat(gate.heldCount()).isEqualTo(1);
        assertThat(fake.journal().count("POST", "/v1/passports/issue")).isZero(); // journalled when answered
        assertThat(fake.auditLog().withAction("passport.issue")).isEmpty();
        assertThat(reply).isNotDone();

        gate.release();

        assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThat(fake.journal().entries("POST", "/v1/passports/issue"))
                .extracting(JournalEntry::fault)
                .containsExactly(FaultRule.Kind.HOLD);
        assertThat(gate.isActive()).isFalse();
        assertThat(gate.heldCount()).isZero();
        assertThat(issue().status()).isEqualTo(201); // a released gate holds nothing more
    }

    @Test
    void clearingTheFaultsReleasesAHeldRequest() throws Exception {
        FaultRule gate = fake.faults().on("POST", "/v1/passports/issue").hold();
        CompletableFuture<Http.Reply> reply = CompletableFuture.supplyAsync(this::issue);
        assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();

        fake.faults().clear();

        assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
    }

    @Test
    void aLateAnswerCarriesABodyOlderThanItsDate() {
        Instant sent = clock.instant();
        FaultRule late = fake.faults()
                .on("POST", "/v1/passports/issue")
                .arriveLate(Duration.ofSeconds(898))
                .times(1);

        Http.Reply r = issue();

        assertThat(late.appliedCount()).isEqualTo(1);
        assertThat(Instant.parse(r.json().path("issued_at").asText())).isEqualTo(sent);
        assertThat(date(r)).isEqualTo(sent.plusSeconds(898));
        assertThat(clock.instant()).isEqualTo(sent.plusSeconds(898));
        assertThat(Instant.parse(r.json().path("expires_at").asText()).minusSeconds(2))
                .isEqualTo(date(r));
    }

    @Test
    void aLateAnswerNeedsATestClock() {
        try (FakeControlPlane real = FakeControlPlane.start()) {
            assertThatThrownBy(() -> real.faults().on("*", "/v1/**").arriveLate(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TestClock");
        }
        assertThatThrownBy(() -> fake.faults().on("*", "/v1/**").arriveLate(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("age");
    }
}
