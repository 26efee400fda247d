package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class LeasesTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    String conn;
    SeededPassport passport;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed()
                .newAgent("leaser")
                .mode(AccountabilityMode.LOGGED)
                .credentialAccess(CredentialAccess.DIRECT)
                .create();
        conn = fake.seed().connection("openai", "sk-lease-secret", "chat");
        fake.seed().grant(agent, conn, "chat");
        passport = fake.seed()
                .newPassport(agent)
                .ttl(Duration.ofHours(1))
                .intent("s", "openai")
                .create();
    }

    @Test
    void grantReturnsTheSecretOnceWithExpiryBoundedByThePassport() {
        Instant t = CLOCK.instant();
        Http.Reply r = http.passport(passport.token())
                .post("/v1/leases", Map.of("provider", "openai", "ttl_seconds", 600, "purpose", "summarise"));
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode l = r.json();
        assertThat(l.path("lease_id").asText()).matches("lse_[a-z0-9]{32}");
        assertThat(l.path("credential").asText()).isEqualTo("sk-lease-secret");
        assertThat(l.path("service_connection_id").asText()).isEqualTo(conn);
        assertThat(l.path("passport_jti").asText()).isEqualTo(passport.jti());
        assertThat(Instant.parse(l.path("expires_at").asText())).isEqualTo(t.plusSeconds(600));
        assertThat(Instant.parse(l.path("max_expires_at").asText())).isEqualTo(t.plusSeconds(2400));
        assertThat(l.path("renewable").asBoolean()).isTrue();
        assertThat(l.path("ttl_seconds").asInt()).isEqualTo(600);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        StackAssertions.assertThat(fake.auditLog()).hasEntry("credential.lease");
        assertThat(fake.auditLog().withAction("credential.lease").get(0).detailsJson())
                .doesNotContain(l.path("lease_id").asText());
        assertThat(fake.journal().last().path()).isEqualTo("/v1/leases");
    }

    @Test
    void renewExtendsFromNowUpToTheCeilingWithoutTheSecret() {
        JsonNode l = http.passport(passport.token())
                .post("/v1/leases", Map.of("provider", "openai", "ttl_seconds", 600))
                .json();
        String id = l.path("lease_id").asText();
        CLOCK.advance(Duration.ofSeconds(500));
        Http.Reply r = http.post("/v1/leases/" + id + "/renew", Map.of());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().has("credential")).isFalse();
        assertThat(Instant.parse(r.json().path("expires_at").asText()))
                .isEqualTo(CLOCK.instant().plusSeconds(600));
        assertThat(fake.journal().last().path()).startsWith("/v1/leases/lse:").doesNotContain(id);
        CLOCK.advance(Duration.ofSeconds(590));
        Http.Reply capped = http.post("/v1/leases/" + id + "/renew", Map.of("ttl_seconds", 3600));
        assertThat(capped.json().path("expires_at").asText())
                .isEqualTo(l.path("max_expires_at").asText());
        assertThat(capped.json().path("renewable").asBoolean()).isFalse();
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("credential.lease_renew", 2);
    }

    @Test
    void renewOfExpiredLeaseIs410AndUnknownIs404() {
        String id = http.passport(passport.token())
                .post("/v1/leases", Map.of("provider", "openai", "ttl_seconds", 30))
                .json()
                .path("lease_id")
                .asText();
        CLOCK.advance(Duration.ofSeconds(30));
        Replies.assertError(http.post("/v1/leases/" + id + "/renew", Map.of()), 410, "LEASE_EXPIRED");
        Replies.assertError(http.post("/v1/leases/lse_unknown/renew", Map.of()), 404, "LEASE_NOT_FOUND");
    }

    @Test
    void releaseIsIdempotentAndEndsTheLease() {
        String id = http.passport(passport.token())
                .post("/v1/leases", Map.of("provider", "openai"))
                .json()
                .path("lease_id")
                .asText();
        assertThat(http.delete("/v1/leases/" + id).status()).isEqualTo(204);
        assertThat(http.delete("/v1/leases/" + id).status()).isEqualTo(204);
        assertThat(http.delete("/v1/leases/lse_never").status()).isEqualTo(204);
        Replies.assertError(http.post("/v1/leases/" + id + "/renew", Map.of()), 404, "LEASE_NOT_FOUND");
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("credential.lease_release", 1);
    }

    @Test
    void revokingOrCheckingOutThePassportEndsItsLeases() {
        String a = http.passport(passport.token())
                .post("/v1/leases", Map.of("provider", "openai"))
                .json()
                .path("lease_id")
                .asText();
        http.post("/v1/passports/" + passport.jti() + "/revoke", Map.of());
        Replies.assertError(http.post("/v1/leases/" + a + "/renew", Map.of()), 401, "PASSPORT_REVOKED");
        SeededPassport p2 = fake.seed().passport(agent, "s", "openai");
        String b = http.passport(p2.token())
                .post("/v1/leases", Map.of("provider", "openai"))
                .json()
                .path("lease_id")
                .asText();
        http.post("/v1/passports/" + p2.jti() + "/checkout", Map.of("summary", "done"));
        Replies.assertError(http.post("/v1/leases/" + b + "/renew", Map.of()), 403, "PASSPORT_CHECKED_OUT");
    }

    @Test
    void grantValidation() {
        Http withP = http.passport(passport.token());
        Http.Reply noPassport = http.post("/v1/leases", Map.of("provider", "openai"));
        Replies.assertError(noPassport, 400, "INVALID_REQUEST");
        assertThat(noPassport.reason()).isEqualTo("passport_required");
        Replies.assertError(withP.post("/v1/leases", Map.of()), 400, "INVALID_REQUEST", "provider");
        Replies.assertError(
                withP.post("/v1/leases", Map.of("provider", "openai", "service_connection_id", conn)),
                400,
                "INVALID_REQUEST",
                "provider");
        Replies.assertError(
                withP.post("/v1/leases", Map.of("provider", "openai", "ttl_seconds", 29)),
                400,
                "INVALID_REQUEST",
                "ttl_seconds");
        Replies.assertError(
                withP.post("/v1/leases", Map.of("provider", "openai", "purpose", "p".repeat(257))),
                400,
                "INVALID_REQUEST",
                "purpose");
        Replies.assertError(withP.post("/v1/leases", Map.of("service_connection_id", "svc_conn_x")), 404, "NOT_FOUND");
    }

    @Test
    void leaseExpiryIsCappedAtThePassportsExpiry() {
        SeededPassport shortOne = fake.seed()
                .newPassport(agent)
                .ttl(Duration.ofMinutes(2))
                .intent("s", "openai")
                .create();
        JsonNode l = http.passport(shortOne.token())
                .post("/v1/leases", Map.of("provider", "openai", "ttl_seconds", 900))
                .json();
        assertThat(Instant.parse(l.path("expires_at").asText())).isEqualTo(shortOne.expiresAt());
        assertThat(l.path("renewable").asBoolean()).isFalse();
    }
}
