package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Skills, buyer side (wire protocol §10.3): handlers, the 30 s limit on the fake's clock, the typed refusals. */
class SkillsEndpointTest extends FakeHttpTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    String agent;
    SeededPassport passport;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        agent = fake.seed().agent("buyer", "standard");
        passport = fake.seed().passport(agent, "buy skills");
    }

    private Http.Reply invoke(String skillId, Object input) {
        return http.post(
                "/v1/skills/" + skillId + "/invoke", Map.of("input", input, "passport_token", passport.token()));
    }

    @Test
    void anInvocationRunsTheHandlerAndIsPolledToItsOutput() {
        FakeSkill s = fake.skill("upper")
                .description("shouts")
                .handler(in -> Map.of("out", in.get("text").toString().toUpperCase(java.util.Locale.ROOT)));
        assertThat(fake.skill("upper").id()).as("same name, same skill").isEqualTo(s.id());
        JsonNode listed = http.get("/v1/skills").json();
        assertThat(listed.path("skills").get(0).path("name").asText()).isEqualTo("upper");
        assertThat(http.get("/v1/skills/" + s.id()).json().path("description").asText())
                .isEqualTo("shouts");

        Http.Reply r = invoke(s.id(), Map.of("text", "hi"));

        assertThat(r.status()).isEqualTo(202);
        String id = r.json().path("invocation_id").asText();
        assertThat(id).startsWith("sreq_");
        JsonNode done = http.get("/v1/skills/invocations/" + id).json();
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("output").path("out").asText()).isEqualTo("HI");
        assertThat(done.path("error").isNull()).isTrue();
    }

    @Test
    void aRunLongerThanThirtySecondsOfFakeTimeFailsWithTheTimeoutAtThirtySeconds() {
        FakeSkill slow = fake.skill("slow").takes(Duration.ofSeconds(45));
        String id = invoke(slow.id(), Map.of()).json().path("invocation_id").asText();
        assertThat(http.get("/v1/skills/invocations/" + id)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("running");
        CLOCK.advance(Duration.ofSeconds(29));
        assertThat(http.get("/v1/skills/invocations/" + id)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("running");
        CLOCK.advance(Duration.ofSeconds(1));
        JsonNode failed = http.get("/v1/skills/invocations/" + id).json();
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").path("code").asText()).isEqualTo("SKILL_TIMEOUT");
        assertThat(failed.path("output").isNull()).isTrue();

        // a handler that itself spends 31 s of the fake's clock fails the same way
        FakeSkill spender = fake.skill("spender").handler(in -> {
            CLOCK.advance(Duration.ofSeconds(31));
            return Map.of("late", true);
        });
        JsonNode late = invoke(spender.id(), Map.of()).json();
        assertThat(late.path("status").asText()).isEqualTo("failed");
        assertThat(late.path("error").path("code").asText()).isEqualTo("SKILL_TIMEOUT");

        // exactly 30 s is inside the limit
        FakeSkill edge = fake.skill("edge").takes(Duration.ofSeconds(30));
        String e =
                invoke(edge.id(), Map.of("a", 1)).json().path("invocation_id").asText();
        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(http.get("/v1/skills/invocations/" + e).json().path("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void aThrowingHandlerFailsTheInvocation() {
        FakeSkill broken = fake.skill("broken").handler(in -> {
            throw new IllegalStateException("boom");
        });
        JsonNode r = invoke(broken.id(), Map.of()).json();
        assertThat(r.path("status").asText()).isEqualTo("failed");
        assertThat(r.path("error").path("code").asText()).isEqualTo("SKILL_FAILED");
    }

    @Test
    void accessTrustAndCreditsAreCheckedBeforeTheRun() {
        String other = fake.seed().agent("someone-else", "standard");
        FakeSkill restricted = fake.skill("restricted").allowedAgents(other);
        Http.Reply denied = invoke(restricted.id(), Map.of());
        Replies.assertError(denied, 403, "UNAUTHORIZED_SKILL_ACCESS");
        // the passport in the X-Passport-Token header counts the same as in the body
        Replies.assertError(
                http.passport(passport.token())
                        .post("/v1/skills/" + restricted.id() + "/invoke", Map.of("input", Map.of())),
                403,
                "UNAUTHORIZED_SKILL_ACCESS");
        assertThat(http.post("/v1/skills/" + restricted.id() + "/invoke", Map.of("input", Map.of()))
                        .status())
                .as("an operator without a passport is no agent")
                .isEqualTo(202);

        FakeSkill trusted = fake.skill("trusted").requiredTrustLevel(1);
        Http.Reply low = invoke(trusted.id(), Map.of());
        Replies.assertError(low, 403, "TRUST_LEVEL_INSUFFICIENT");
        assertThat(low.json()
                        .path("error")
                        .path("details")
                        .path("required_trust_level")
                        .asInt())
                .isEqualTo(1);
        String session = http.post("/v1/identity/verifications", Map.of("provider_key", "bankid_se"))
                .json()
                .path("session_id")
                .asText();
        fake.identity().approve(session);
        passport = fake.seed().passport(agent, "now verified");
        assertThat(invoke(trusted.id(), Map.of()).status()).isEqualTo(202);

        FakeSkill paid = fake.skill("paid").priceCents(300);
        Replies.assertError(invoke(paid.id(), Map.of()), 402, "INSUFFICIENT_CREDITS");
        fake.walletCents(500);
        assertThat(invoke(paid.id(), Map.of()).status()).isEqualTo(202);
        Replies.assertError(invoke(paid.id(), Map.of()), 402, "INSUFFICIENT_CREDITS");

        Replies.assertError(invoke("skl_unknown", Map.of()), 404, "SKILL_NOT_FOUND");
        Replies.assertError(http.get("/v1/skills/invocations/sreq_unknown"), 404, "INVOCATION_NOT_FOUND");
    }

    @Test
    void aFailedPaidRunGivesTheCreditsBackAndARevokedPassportIsRefused() {
        fake.walletCents(100);
        FakeSkill slowPaid = fake.skill("slow-paid").priceCents(100).takes(Duration.ofMinutes(1));
        invoke(slowPaid.id(), Map.of());
        FakeSkill cheap = fake.skill("cheap").priceCents(100);
        assertThat(invoke(cheap.id(), Map.of()).status())
                .as("the timed-out run was refunded")
                .isEqualTo(202);

        http.post("/v1/passports/" + passport.jti() + "/revoke", Map.of());
        Replies.assertError(invoke(cheap.id(), Map.of()), 401, "PASSPORT_REVOKED");
    }

    @Test
    void listingPagesAndAResetRemovesSkills() {
        for (String n : List.of("a", "b", "c")) {
            fake.skill(n);
        }
        JsonNode first = http.get("/v1/skills?limit=2").json();
        assertThat(first.path("skills")).hasSize(2);
        assertThat(first.path("has_more").asBoolean()).isTrue();
        JsonNode second = http.get("/v1/skills?limit=2&page=2").json();
        assertThat(second.path("skills")).hasSize(1);
        assertThat(second.path("has_more").asBoolean()).isFalse();
        fake.reset();
        assertThat(http.get("/v1/skills").json().path("skills")).isEmpty();
    }

    static final Map<String, Object> INPUT_SCHEMA = Map.of(
            "type", "object",
            "required", List.of("text"),
            "properties", Map.of("text", Map.of("type", "string", "maxLength", 20)));

    @Test
    void aSkillListsItsInputSchemaAndAnInputThatMissesItIsRefusedUncharged() {
        fake.walletCents(10);
        FakeSkill s = fake.skill("typed").priceCents(10).inputSchema(INPUT_SCHEMA);
        JsonNode listed = Replies.ok(http.get("/v1/skills/" + s.id()), 200);
        assertThat(listed.path("input_schema")).isEqualTo(Http.MAPPER.valueToTree(INPUT_SCHEMA));
        assertThat(Replies.ok(http.get("/v1/skills"), 200)
                        .path("skills")
                        .get(0)
                        .path("input_schema")
                        .path("required")
                        .get(0)
                        .asText())
                .isEqualTo("text");

        Http.Reply missing = invoke(s.id(), Map.of("other", 1));
        Replies.assertError(missing, 400, "INVALID_REQUEST", "input");
        Http.Reply tooLong = invoke(s.id(), Map.of("text", "x".repeat(21)));
        Replies.assertError(tooLong, 400, "INVALID_REQUEST", "input.text");

        Http.Reply ok = invoke(s.id(), Map.of("text", "fits"));
        assertThat(ok.status())
                .as("the refused inputs cost nothing: " + ok.text())
                .isEqualTo(202);
        Replies.assertError(invoke(s.id(), Map.of("text", "fits")), 402, "INSUFFICIENT_CREDITS");
    }

    @Test
    void aSkillWithoutASchemaTakesAnyInputAndListsNone() {
        FakeSkill s = fake.skill("loose");
        assertThat(Replies.ok(http.get("/v1/skills/" + s.id()), 200)
                        .path("input_schema")
                        .isNull())
                .isTrue();
        assertThat(invoke(s.id(), Map.of("anything", List.of(1, 2))).status()).isEqualTo(202);
        s.inputSchema(INPUT_SCHEMA).inputSchema(null);
        assertThat(Replies.ok(http.get("/v1/skills/" + s.id()), 200)
                        .path("input_schema")
                        .isNull())
                .isTrue();
    }

    @Test
    void anInvalidInputSchemaIsRefusedAtOnceNamingItsPath() {
        FakeSkill s = fake.skill("broken");
        assertThatThrownBy(() -> s.inputSchema(Map.of("type", "no-such-type")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input_schema");
        assertThat(Replies.ok(http.get("/v1/skills/" + s.id()), 200)
                        .path("input_schema")
                        .isNull())
                .as("the bad schema was not stored")
                .isTrue();
    }
}
