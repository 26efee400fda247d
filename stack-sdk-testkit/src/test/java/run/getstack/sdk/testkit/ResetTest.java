package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code reset()}: every resource's store resets itself; the operator, its key and the signing key stay. */
class ResetTest {
    @Test
    void resetEmptiesEveryResourceButKeepsTheOperatorAndTheCurrentKey() {
        TestClock clock = TestClock.create();
        try (FakeControlPlane fake = FakeControlPlane.builder().clock(clock).start()) {
            Http http = new Http(fake);
            String agent = fake.seed()
                    .newAgent("reset-bot")
                    .mode(AccountabilityMode.STANDARD)
                    .credentialAccess(CredentialAccess.DIRECT)
                    .create();
            String conn = fake.seed().connection("openai", "sk-reset", "chat");
            fake.seed().grant(agent, conn, "chat");
            SeededPassport p = fake.seed().newPassport(agent).create();
            Http.Reply lease = http.passport(p.token()).post("/v1/leases", Map.of("provider", "openai"));
            assertThat(lease.status()).as(lease.text()).isEqualTo(201);
            String leaseId = lease.json().path("lease_id").asText();
            Http.Reply first =
                    http.header("Idempotency-Key", "reset-key").post("/v1/agents/register", Map.of("name", "idem-bot"));
            assertThat(first.status()).isEqualTo(201);
            assertThat(http.post("/v1/passports/" + p.jti() + "/revoke", Map.of())
                            .status())
                    .isEqualTo(200);
            fake.rotateSigningKey();
            String kid = fake.currentKid();

            fake.reset();

            assertThat(http.get("/v1/agents").json().path("agents").size()).isZero();
            assertThat(http.get("/v1/services/connected")
                            .json()
                            .path("connections")
                            .size())
                    .isZero();
            assertThat(http.get("/v1/passports/active").json().path("passports").size())
                    .isZero();
            assertThat(http.get("/v1/audit").json().path("entries").size()).isZero();
            assertThat(http.get("/v1/security-events").json().path("events").size())
                    .isZero();
            assertThat(http.get("/v1/revocations/" + p.jti()).status()).isEqualTo(404);
            assertThat(http.post("/v1/leases/" + leaseId + "/renew", Map.of()).code())
                    .isEqualTo("LEASE_NOT_FOUND");
            Http.Reply again =
                    http.header("Idempotency-Key", "reset-key").post("/v1/agents/register", Map.of("name", "idem-bot"));
            assertThat(again.status()).isEqualTo(201);
            assertThat(again.header("Idempotency-Replayed")).isNull();
            assertThat(fake.signingKeys()).extracting(SigningKeyInfo::kid).containsExactly(kid);
            assertThat(http.get("/v1/services").json().path("services").size()).isEqualTo(8);
        }
    }
}
