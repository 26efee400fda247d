package run.getstack.sdk.security;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.auditlog.ChainVerification;

/** A newer STACK's severities, signals and chain-check reasons are kept (MockWebServer plays the newer server). */
class UnknownSecurityValuesTest {
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

    private void answer(String json) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(json)
                .build());
    }

    @Test
    void anUnknownSeverityAndSignalAreKept() {
        answer("{\"id\":\"sev_1\",\"operator_id\":\"op_1\",\"agent_id\":\"agt_1\",\"passport_jti\":null,"
                + "\"signal_type\":\"prompt_injection\",\"severity\":\"emergency\",\"message\":\"m\",\"metadata\":{},"
                + "\"resolved\":false,\"resolved_at\":null,\"created_at\":\"2026-11-30T09:00:00Z\"}");

        SecurityEvent e = client.securityEvents().get("sev_1");

        assertThat(e.signalType()).isEqualTo("prompt_injection");
        assertThat(e.severity().isKnown()).isFalse();
        assertThat(e.severity().value()).isEqualTo("emergency");
        assertThat(e.action()).isNull();
    }

    @Test
    void anUnknownChainCheckReasonIsOther() {
        answer("{\"valid\":false,\"checked\":3,\"first_bad_entry_id\":\"aud_3\",\"reason\":\"timestamp_regression\"}");

        ChainVerification v = client.auditLog().verifyChain();

        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEntryId()).isEqualTo("aud_3");
        assertThat(v.reason()).isEqualTo(ChainVerification.Reason.OTHER);
    }
}
