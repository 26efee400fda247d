package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Team members (wire protocol §1.4): member keys, roles, {@code allowed_connections}, revocation. */
class TeamMembersTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;
    Http operator;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        operator = new Http(fake);
    }

    private Http as(SeededMember m) {
        return operator.key(m.apiKey());
    }

    private static void assertForbidden(Http.Reply r, String reason) {
        Replies.assertRefused(r, 403, "FORBIDDEN", reason);
    }

    @Test
    void memberKeysLookLikeStacksAndAreNeverPrinted() {
        SeededMember m = fake.seed().member("standard");
        assertThat(m.apiKey()).startsWith("sk_live_mem_");
        assertThat(m.id()).startsWith("mem_");
        assertThat(m.toString()).doesNotContain(m.apiKey());
        assertThatThrownBy(() -> fake.seed().member("owner"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("role");
    }

    @Test
    void operatorOnlyRoutesRefuseEveryMemberEvenAnAdmin() {
        for (String role : List.of("readonly", "standard", "admin")) {
            Http member = as(fake.seed().member(role));
            assertForbidden(member.get("/v1/security-events"), "member_not_allowed");
            assertForbidden(member.post("/v1/security-events/sev_x/resolve", Map.of()), "member_not_allowed");
        }
        assertThat(operator.get("/v1/security-events").status()).isEqualTo(200);
    }

    @Test
    void aReadonlyMemberReadsButCannotWrite() {
        Http readonly = as(fake.seed().member("readonly"));
        String agent = fake.seed().agent("watched-bot");

        assertThat(readonly.get("/v1/agents").status()).isEqualTo(200);
        assertThat(readonly.get("/v1/agents/" + agent).status()).isEqualTo(200);
        assertThat(readonly.get("/v1/audit").status()).isEqualTo(200);
        assertForbidden(readonly.post("/v1/agents/register", Map.of("name", "sneaky-bot")), "member_role");
        assertForbidden(readonly.patch("/v1/agents/" + agent, Map.of("description", "x")), "member_role");
        assertForbidden(readonly.delete("/v1/agents/" + agent), "member_role");
        assertThat(fake.auditLog().actions()).doesNotContain("agent.update", "agent.delete");

        Http standard = as(fake.seed().member("standard"));
        assertThat(standard.post("/v1/agents/register", Map.of("name", "ok-bot"))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void allowedConnectionsRestrictCredentialReads() {
        String openai = fake.seed().connection("openai", "sk-test-openai", "chat");
        String github = fake.seed().connection("github", "ghp_test", "repo");
        Http limited = as(fake.seed().member("standard", List.of(openai)));
        Http unlimited = as(fake.seed().member("readonly"));

        assertThat(limited.get("/v1/credentials/openai").status()).isEqualTo(200);
        assertThat(limited.get("/v1/credentials/by-connection/" + openai).status())
                .isEqualTo(200);
        assertForbidden(limited.get("/v1/credentials/github"), "connection_not_allowed");
        assertForbidden(limited.get("/v1/credentials/by-connection/" + github), "connection_not_allowed");
        assertThat(unlimited.get("/v1/credentials/github").status()).isEqualTo(200);
        assertThat(fake.auditLog().withAction("credential.retrieve")).hasSize(3);

        Http none = as(fake.seed().member("admin", List.of()));
        assertForbidden(none.get("/v1/credentials/openai"), "connection_not_allowed");
    }

    @Test
    void revokingAMemberInvalidatesItsKeyAtOnce() {
        SeededMember m = fake.seed().member("readonly");
        assertThat(as(m).get("/v1/agents").status()).isEqualTo(200);

        fake.seed().revokeMember(m.id());

        Http.Reply after = as(m).get("/v1/agents");
        Replies.assertError(after, 401, "INVALID_API_KEY");
        assertThatThrownBy(() -> fake.seed().revokeMember(m.id())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteTeamMemberNeedsAnAdminAndTakesEffectAtOnce() {
        SeededMember victim = fake.seed().member("standard");
        Http standard = as(fake.seed().member("standard"));
        Http admin = as(fake.seed().member("admin"));

        assertForbidden(standard.delete("/v1/team/members/" + victim.id()), "member_role");
        assertThat(as(victim).get("/v1/agents").status()).isEqualTo(200);

        Http.Reply deleted = admin.delete("/v1/team/members/" + victim.id());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(as(victim).get("/v1/agents").status()).isEqualTo(401);
        assertThat(operator.delete("/v1/team/members/" + victim.id()).status()).isEqualTo(404);
    }

    @Test
    void aMemberOfAnotherOperatorSeesOnlyItsOwnOrganisation() {
        SeededOperator other = fake.seed().operator("other");
        SeededMember foreign = fake.seed().member(other.id(), "admin", null);
        String mine = fake.seed().agent("mine-bot");

        Http.Reply r = operator.key(foreign.apiKey()).get("/v1/agents/" + mine);
        assertThat(r.status()).isEqualTo(404);
        assertThat(operator.key(foreign.apiKey())
                        .get("/v1/agents")
                        .json()
                        .path("agents")
                        .size())
                .isZero();
        assertThat(operator.delete("/v1/team/members/" + foreign.id()).status()).isEqualTo(404);
    }

    @Test
    void theTeamRouteIsStackV1() {
        assertThat(fake.routes()).contains(new FakeRoute("DELETE", "/v1/team/members/{id}", RouteOrigin.STACK_V1));
    }
}
