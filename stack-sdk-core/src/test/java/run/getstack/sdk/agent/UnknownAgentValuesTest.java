package run.getstack.sdk.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackMalformedResponseException;

/**
 * Values a newer STACK may send that this SDK does not know. The fake only sends values it knows, so a
 * MockWebServer plays the newer server.
 */
class UnknownAgentValuesTest {
    private final MockWebServer server = new MockWebServer();
    private StackClient client;

    @BeforeEach
    void start() throws Exception {
        server.start();
        client = StackClient.builder()
                .baseUrl(server.url("/").toString())
                .apiKey("sk_live_op_test")
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private void answer(String mode, String access, String status, String onWarning) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"id\":\"agt_1\",\"operator_id\":\"op_1\",\"name\":\"bot\",\"description\":null,"
                        + "\"status\":\"" + status + "\",\"accountability_mode\":\"" + mode + "\","
                        + "\"on_warning\":\"" + onWarning + "\",\"on_critical\":\"block\","
                        + "\"credential_access\":\"" + access + "\",\"key_mode\":\"agent_held\","
                        + "\"icon_url\":null,\"passport_blocked\":false,\"allowed_connections\":[],"
                        + "\"public_key_jwk\":null,\"created_at\":\"2026-11-30T09:00:00.000Z\",\"eval_traffic\":true}")
                .build());
    }

    @Test
    void unknownEnumValuesAreKeptNotRefused() {
        answer("paranoid", "via_pigeon", "retired", "page_oncall");

        Agent a = client.agents().get("agt_1");

        assertThat(a.accountabilityMode().isKnown()).isFalse();
        assertThat(a.accountabilityMode().value()).isEqualTo("paranoid");
        assertThat(a.credentialAccess()).isEqualTo(CredentialAccess.of("via_pigeon"));
        assertThat(a.status().value()).isEqualTo("retired");
        assertThat(a.onWarning().isKnown()).isFalse();
        assertThat(a.onCritical()).isSameAs(FlagAction.BLOCK);
        assertThat(a.keyMode()).isEqualTo(KeyMode.of("agent_held"));
        assertThat(AccountabilityMode.knownValues()).doesNotContain(a.accountabilityMode());
    }

    @Test
    void aValueThatIsNotAnEnumValueAtAllIsAMalformedResponse() {
        answer("Paranoid Mode!", "direct", "active", "notify");

        assertThatThrownBy(() -> client.agents().get("agt_1"))
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("accountability_mode");
    }
}
