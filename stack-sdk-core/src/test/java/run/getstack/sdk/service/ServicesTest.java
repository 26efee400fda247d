package run.getstack.sdk.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackNotFoundException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.SeededPassport;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code client.services()} against the fake: catalog, connections, grants. */
class ServicesTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;
    private Services services;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        client = ApiTestSupport.client(fake, CLOCK).build();
        services = client.services();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void theCatalogListsConnectableServices() {
        List<CatalogService> catalog = services.catalog().stream().toList();

        assertThat(catalog).extracting(CatalogService::provider).contains("openai", "slack", "custom_sftp_server");
        CatalogService sftp = catalog.stream()
                .filter(s -> s.provider().equals("custom_sftp_server"))
                .findFirst()
                .orElseThrow();
        assertThat(sftp.authType()).isEqualTo("multi_field");
        assertThat(sftp.fields()).containsExactly("host", "username", "password", "port");
    }

    @Test
    void connectingAServiceShowsUpAmongTheConnectionsWithoutItsCredential() {
        ServiceConnection c = services.connect(
                ConnectRequest.of("slack", List.of("chat:write")).oauthToken(Secret.of("xoxb-never-returned")));

        assertThat(c.id()).startsWith("scon_");
        assertThat(c.provider()).isEqualTo("slack");
        assertThat(c.scopes()).containsExactly("chat:write");
        assertThat(services.connected().stream()).containsExactly(c);
        assertThat(fake.journal()
                        .entries("GET", "/v1/services/connected")
                        .get(0)
                        .status())
                .isEqualTo(200);
        assertThat(c.toString()).doesNotContain("xoxb");
        assertThat(ConnectRequest.of("slack", List.of("x"))
                        .oauthToken(Secret.of("xoxb-secret"))
                        .toString())
                .doesNotContain("xoxb-secret");
    }

    @Test
    void disconnectingRevokesThePassportsThatCarryTheConnection() {
        String agent = fake.seed().agent("conn-bot", "standard");
        String conn = fake.seed().connection("openai", "sk-test-services", "chat");
        fake.seed().grant(agent, conn, "chat");
        SeededPassport p = fake.seed().newPassport(agent).create();

        Disconnection d = services.disconnect(conn);

        assertThat(d.connectionId()).isEqualTo(conn);
        assertThat(d.revokedCount()).isEqualTo(1);
        assertThat(fake.isRevoked(p.jti())).isTrue();
        assertThat(services.connected().stream()).isEmpty();
    }

    @Test
    void aGrantCarriesScopesAndConstraintsAndCanBeRevoked() {
        String agent = fake.seed().agent("grant-bot", "standard");
        ServiceConnection c = services.connect(ConnectRequest.of("openai", List.of("chat", "embeddings")));

        Grant g = services.grant(
                agent,
                new GrantRequest(
                        c.id(),
                        List.of("chat"),
                        List.of(
                                GrantConstraint.of("method", "eq", "POST"),
                                GrantConstraint.in("url.host", List.of("api.openai.com")))));

        assertThat(g.agentId()).isEqualTo(agent);
        assertThat(g.provider()).isEqualTo("openai");
        assertThat(g.scopes()).containsExactly("chat");
        assertThat(g.constraints())
                .containsExactly(
                        GrantConstraint.of("method", "eq", "POST"),
                        GrantConstraint.in("url.host", List.of("api.openai.com")));
        assertThat(client.agents().get(agent).allowedConnections()).containsExactly(c.id());

        services.revokeGrant(agent, c.id());
        services.revokeGrant(agent, c.id());

        assertThat(client.agents().get(agent).allowedConnections()).isEmpty();
    }

    @Test
    void invalidInputIsRefusedLocally() {
        assertThatThrownBy(() -> ConnectRequest.of("slack", List.of())).hasMessageStartingWith("scopes:");
        assertThatThrownBy(() -> ConnectRequest.of("sl ack", List.of("x"))).hasMessageStartingWith("service_id:");
        assertThatThrownBy(() -> ConnectRequest.of("slack", List.of("x")).redirectUri("http://evil.example/cb"))
                .hasMessageStartingWith("redirect_uri:");
        assertThatThrownBy(() -> GrantRequest.of("svc_conn_1", List.of(""))).hasMessageStartingWith("scopes:");
        assertThatThrownBy(() -> GrantRequest.of("svc conn", List.of("x")))
                .hasMessageStartingWith("service_connection_id:");
        assertThatThrownBy(() -> GrantConstraint.of("cookies", "eq", "x")).hasMessageStartingWith("constraints.path:");
        assertThatThrownBy(() -> GrantConstraint.of("method", "like", "x")).hasMessageStartingWith("constraints.op:");
        assertThatThrownBy(() -> new GrantConstraint("method", "eq", List.of("GET", "POST")))
                .hasMessageStartingWith("constraints.value:");
        assertThatThrownBy(() -> GrantConstraint.in("method", List.of())).hasMessageStartingWith("constraints.value:");
        assertThatThrownBy(() -> GrantConstraint.of("url.pathname", "matches", "a".repeat(257)))
                .hasMessageStartingWith("constraints.value:");
        List<GrantConstraint> many = java.util.Collections.nCopies(33, GrantConstraint.of("method", "eq", "GET"));
        assertThatThrownBy(() -> new GrantRequest("svc_conn_1", List.of("x"), many))
                .hasMessageStartingWith("constraints:");
        assertThatThrownBy(() -> services.disconnect("svc_conn/1")).hasMessageStartingWith("connectionId:");
        assertThat(fake.journal().entries()).isEmpty();
    }

    @Test
    void theFakeRefusesTheSameInputWhenSentRaw() {
        HttpResponse<String> noScopes =
                ApiTestSupport.rawPost(fake, "/v1/services/connect", "{\"service_id\":\"slack\",\"scopes\":[]}");
        assertThat(noScopes.statusCode()).isEqualTo(400);
        assertThat(noScopes.body()).contains("\"path\":\"scopes\"");
        String agent = fake.seed().agent("raw-bot");
        String conn = fake.seed().connection("openai", "sk-test-raw", "chat");
        StringBuilder constraints = new StringBuilder();
        for (int i = 0; i < 33; i++) {
            constraints.append(i == 0 ? "" : ",").append("{\"path\":\"method\",\"op\":\"eq\",\"value\":\"GET\"}");
        }
        HttpResponse<String> tooMany = ApiTestSupport.rawPost(
                fake,
                "/v1/agents/" + agent + "/grants",
                "{\"service_connection_id\":\"" + conn + "\",\"scopes\":[\"chat\"],\"constraints\":[" + constraints
                        + "]}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
    }

    @Test
    void unknownIdsAreNotFound() {
        String agent = fake.seed().agent("lonely-bot");
        assertThatThrownBy(() -> services.connect(ConnectRequest.of("svc_unknown", List.of("x"))))
                .isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> services.disconnect("svc_conn_nothing")).isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> services.grant(agent, GrantRequest.of("svc_conn_nothing", List.of("x"))))
                .isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> services.grant("agt_nothing", GrantRequest.of("svc_conn_nothing", List.of("x"))))
                .isInstanceOf(StackNotFoundException.class);
        assertThatThrownBy(() -> services.revokeGrant("agt_nothing", "svc_conn_x"))
                .isInstanceOf(StackNotFoundException.class);
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong =
                ApiTestSupport.client(fake, CLOCK).apiKey("sk_live_wrong").build()) {
            assertThatThrownBy(() -> wrong.services().connected().stream().count())
                    .isInstanceOf(StackAuthenticationException.class);
        }
    }

    @Test
    void aReadonlyMemberReadsTheCatalogAndConnectionsButCannotConnectGrantOrDisconnect() {
        ServiceConnection c = services.connect(ConnectRequest.of("openai", List.of("chat")));
        String agent = fake.seed().agent("member-grant-bot", "standard");
        try (StackClient readonly = ApiTestSupport.client(fake, CLOCK)
                .apiKey(fake.seed().member("readonly").apiKey())
                .build()) {
            assertThat(readonly.services().catalog().stream()).isNotEmpty();
            assertThat(readonly.services().connected().stream()).containsExactly(c);
            assertThatThrownBy(() -> readonly.services().connect(ConnectRequest.of("slack", List.of("chat:write"))))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
            assertThatThrownBy(() ->
                            readonly.services().grant(agent, new GrantRequest(c.id(), List.of("chat"), List.of())))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
            assertThatThrownBy(() -> readonly.services().disconnect(c.id()))
                    .isInstanceOfSatisfying(
                            StackPermissionException.class,
                            e -> assertThat(e.reason()).isEqualTo("member_role"));
        }
        assertThat(services.connected().stream()).containsExactly(c);
        assertThat(client.agents().get(agent).allowedConnections()).isEmpty();
    }

    @Test
    void aStandardMemberConnectsAndGrants() {
        String agent = fake.seed().agent("member-made-bot", "standard");
        try (StackClient standard = ApiTestSupport.client(fake, CLOCK)
                .apiKey(fake.seed().member("standard").apiKey())
                .build()) {
            ServiceConnection c = standard.services().connect(ConnectRequest.of("openai", List.of("chat")));
            standard.services().grant(agent, new GrantRequest(c.id(), List.of("chat"), List.of()));
            assertThat(client.agents().get(agent).allowedConnections()).containsExactly(c.id());
        }
    }
}
