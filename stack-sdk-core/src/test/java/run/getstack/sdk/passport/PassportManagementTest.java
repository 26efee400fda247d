package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Listing and revoking passports (one, an agent's, a session, all) against the fake control plane. */
class PassportManagementTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private Passports passports;
    private String lead;
    private String helper;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        client = ApiTestSupport.client(fake, CLOCK).build();
        passports = client.passports();
        lead = fake.seed().agent("lead-bot", "standard");
        helper = fake.seed().agent("helper-bot", "standard");
        String openai = fake.seed().connection("openai", "sk-test-mgmt", "chat");
        fake.seed().grant(lead, openai, "chat");
        fake.seed().grant(helper, openai, "chat");
    }

    @AfterEach
    void close() {
        client.close();
    }

    private Passport root() {
        return issueFor(lead);
    }

    /** Every passport belongs to a live mission (STACK live, stack_issue_passport): one per passport here. */
    private Passport issueFor(String agent) {
        return passports.issue(
                agent,
                PassportRequest.builder()
                        .missionId(fake.seed().mission(agent, "manage passports"))
                        .build());
    }

    @Test
    void revokingOnePassportRevokesItsDescendants() {
        Passport parent = root();
        Passport child =
                passports.delegate(parent, DelegationRequest.builder(helper).build());

        RevocationResult r = passports.revoke(parent.jti(), "rotated after review");

        assertThat(r.jti()).isEqualTo(parent.jti());
        assertThat(r.cascaded()).containsExactly(child.jti());
        assertThat(fake.isRevoked(parent.jti())).isTrue();
        assertThat(fake.isRevoked(child.jti())).isTrue();
        assertThat(fake.journal()
                        .entries("POST", "/v1/passports/*/revoke")
                        .get(0)
                        .body())
                .isEqualTo("{\"reason\":\"rotated after review\"}");
    }

    @Test
    void revokingASessionRevokesItsRootAndDelegatedPassportsOnly() {
        Passport parent = root();
        Passport child =
                passports.delegate(parent, DelegationRequest.builder(helper).build());
        Passport other = root();

        SessionRevocationResult r = passports.revokeSession(parent.sessionId(), null);

        assertThat(r.sessionId()).isEqualTo(parent.sessionId());
        assertThat(r.revokedCount()).isEqualTo(2);
        assertThat(fake.isRevoked(child.jti())).isTrue();
        assertThat(fake.isRevoked(other.jti())).isFalse();
        assertThat(passports.listActive(null, null))
                .extracting(ActivePassport::jti)
                .containsExactly(other.jti());
    }

    @Test
    void revokeAllTakesOnlyTheExactPhrase() {
        assertThatThrownBy(() -> RevokeAll.confirm("revoke all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("phrase:");
        assertThatThrownBy(() -> RevokeAll.confirm("REVOKE ALL PASSPORTS"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RevokeAll.confirm(" revoke all passports"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> RevokeAll.confirm(RevokeAll.CONFIRMATION_PHRASE).reason("r".repeat(501)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason:");
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void revokeAllRevokesEveryLivePassport() {
        Passport a = root();
        Passport b = issueFor(helper);

        long n = passports.revokeAll(RevokeAll.confirm("revoke all passports").reason("incident 4711"));

        assertThat(n).isEqualTo(2);
        assertThat(fake.isRevoked(a.jti())).isTrue();
        assertThat(fake.isRevoked(b.jti())).isTrue();
        assertThat(passports.listActive(null, null)).isEmpty();
        assertThat(fake.journal()
                        .entries("POST", "/v1/passports/revoke-all")
                        .get(0)
                        .body())
                .isEqualTo("{\"confirm\":true,\"reason\":\"incident 4711\"}");
    }

    @Test
    void theFakeRefusesRevokeAllWithoutConfirmWhenSentRaw() {
        root();
        HttpResponse<String> missing = ApiTestSupport.rawPost(fake, "/v1/passports/revoke-all", "{}");
        HttpResponse<String> no = ApiTestSupport.rawPost(fake, "/v1/passports/revoke-all", "{\"confirm\":false}");

        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"path\":\"confirm\"");
        assertThat(no.statusCode()).isEqualTo(400);
        assertThat(passports.listActive(null, null)).hasSize(1);
    }

    @Test
    void listActiveFiltersByAgentAndBySession() {
        Passport a1 = root();
        Passport a2 = root();
        Passport h = issueFor(helper);

        assertThat(passports.listActive(lead, null))
                .extracting(ActivePassport::jti)
                .containsExactly(a1.jti(), a2.jti());
        assertThat(passports.listActive(null, h.sessionId()))
                .extracting(ActivePassport::jti)
                .containsExactly(h.jti());
        assertThat(passports.listActive(helper, a1.sessionId())).isEmpty();
    }

    @Test
    void invalidInputIsRefusedLocally() {
        assertThatThrownBy(() -> passports.revokeSession("ses/../x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("sessionId:");
        assertThatThrownBy(() -> passports.revokeSession("ses_1", "r".repeat(501)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("reason:");
        assertThatThrownBy(() -> passports.revokeAll(null)).isInstanceOf(NullPointerException.class);
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void unknownIdsAreNotFoundOrCountNothing() {
        assertThatThrownBy(() -> passports.revoke("pp_nothing", null)).isInstanceOf(StackNotFoundException.class);
        assertThat(passports.revokeSession("ses_nothing", null).revokedCount()).isZero();
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong =
                ApiTestSupport.client(fake, CLOCK).apiKey("sk_live_wrong").build()) {
            assertThatThrownBy(() -> wrong.passports().revokeSession("ses_1", null))
                    .isInstanceOf(StackAuthenticationException.class);
            assertThatThrownBy(() -> wrong.passports().revokeAll(RevokeAll.confirm("revoke all passports")))
                    .isInstanceOf(StackAuthenticationException.class);
        }
        assertThat(List.of(fake.journal().count("POST", "/v1/passports/revoke-all")))
                .containsExactly(1);
    }

    @Test
    void theFakeRefusesTheSameInvalidInputWhenSentRaw() {
        HttpResponse<String> longReason = ApiTestSupport.rawPost(
                fake,
                "/v1/passports/revoke-session",
                "{\"session_id\":\"ses_1\",\"reason\":\"" + "r".repeat(501) + "\"}");
        HttpResponse<String> noSession = ApiTestSupport.rawPost(fake, "/v1/passports/revoke-session", "{}");
        HttpResponse<String> longSession = ApiTestSupport.rawPost(
                fake, "/v1/passports/revoke-session", "{\"session_id\":\"" + "s".repeat(129) + "\"}");

        assertThat(longReason.statusCode()).isEqualTo(400);
        assertThat(longReason.body()).contains("\"path\":\"reason\"");
        assertThat(noSession.statusCode()).isEqualTo(400);
        assertThat(noSession.body()).contains("\"path\":\"session_id\"");
        assertThat(longSession.statusCode()).isEqualTo(400);
        assertThat(longSession.body()).contains("\"path\":\"session_id\"");
    }

    @Test
    void membersNeedStandardToRevokeAndAdminToRevokeAll() {
        Passport p = root();
        try (StackClient readonly = ApiTestSupport.client(fake, CLOCK)
                        .apiKey(fake.seed().member("readonly").apiKey())
                        .build();
                StackClient standard = ApiTestSupport.client(fake, CLOCK)
                        .apiKey(fake.seed().member("standard").apiKey())
                        .build();
                StackClient admin = ApiTestSupport.client(fake, CLOCK)
                        .apiKey(fake.seed().member("admin").apiKey())
                        .build()) {
            assertThatThrownBy(() -> readonly.passports().revoke(p.jti(), null))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
            assertThat(passports.listActive(null, null)).hasSize(1);
            assertThatThrownBy(() -> standard.passports().revokeAll(RevokeAll.confirm("revoke all passports")))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
            assertThat(passports.listActive(null, null)).hasSize(1);
            standard.passports().revoke(p.jti(), "by a standard member");
            root();
            assertThat(admin.passports().revokeAll(RevokeAll.confirm("revoke all passports")))
                    .isEqualTo(1);
        }
        assertThat(passports.listActive(null, null)).isEmpty();
    }
}
