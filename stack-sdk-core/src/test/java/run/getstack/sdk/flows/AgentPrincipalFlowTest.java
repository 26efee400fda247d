package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.auditlog.AuditQuery;
import run.getstack.sdk.passport.RevokeAll;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A client that signs as its agent (agent key mode) reaches only what an agent may: its own agent object. The
 * operator's resources answer 403, and unblocking itself is refused before anything is sent. (The fake has no team
 * members yet; an agent principal is the non-operator principal it has.)
 */
class AgentPrincipalFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @TempDir
    Path home;

    private FakeControlPlane fake;
    private String agent;
    private StackClient client;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("self-bot", "standard");
        client = FlowSupport.client(fake, CLOCK, agent)
                .agentKeyFile(home.resolve(agent + ".json"))
                .build();
        assertThat(client.agents().get(agent).keyEnrolled()).isTrue(); // enrolled on first use, then signed
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void operatorResourcesAreForbiddenToAnAgent() {
        assertForbidden(() -> client.agents().list().iterator().hasNext());
        assertForbidden(() -> client.securityEvents().list().iterator().hasNext());
        assertForbidden(() -> client.services().connected().iterator().hasNext());
        assertForbidden(() -> client.auditLog().query(AuditQuery.newest()));
        assertForbidden(() -> client.passports().revokeAll(RevokeAll.confirm(RevokeAll.CONFIRMATION_PHRASE)));
    }

    @Test
    void anAgentCannotUnblockItself() {
        int before = fake.journal().entries().size();

        assertThatThrownBy(() -> client.agents().unblock(agent))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot unblock itself");
        assertThat(fake.journal().entries()).hasSize(before);
    }

    private static void assertForbidden(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StackPermissionException.class,
                        e -> assertThat(e.httpStatus()).isEqualTo(403));
    }
}
