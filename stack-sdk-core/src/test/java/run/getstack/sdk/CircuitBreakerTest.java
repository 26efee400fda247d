package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest extends TransportTestSupport {

    private StackClient breakerClient() {
        return clientBuilder()
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.builder()
                        .slidingWindowSize(4)
                        .minimumNumberOfCalls(4)
                        .failureRateThreshold(50)
                        .waitInOpenState(Duration.ofSeconds(30))
                        .permittedCallsInHalfOpenState(2)
                        .build())
                .build();
    }

    private String state(StackClient client) {
        return client.transport().breakerState(server.getHostName(), server.getPort());
    }

    @Test
    void opensAfterTheFailureRateIsReachedAndThenSendsNothing() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        }
        StackClient client = breakerClient();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackServerException.class);
        }
        assertThat(state(client)).isEqualTo("OPEN");

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOf(StackCircuitOpenException.class)
                .isInstanceOf(StackNetworkException.class)
                .hasMessageContaining("not sent");
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        for (int i = 0; i < 6; i++) {
            server.enqueue(error(404, "NOT_FOUND", "nope"));
        }
        StackClient client = breakerClient();
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackNotFoundException.class);
        }
        assertThat(state(client)).isEqualTo("CLOSED");
    }

    @Test
    void halfOpensAfterTheWaitOnTheClientClockAndClosesOnSuccess() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(error(500, "INTERNAL_ERROR", "boom"));
        }
        server.enqueue(json(200, "{}"));
        server.enqueue(json(200, "{}"));
        StackClient client = breakerClient();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackServerException.class);
        }
        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackCircuitOpenException.class);

        clock.advance(Duration.ofMillis(1001));
        assertThat(get(client, "/v1/x").status()).isEqualTo(200);
        assertThat(state(client)).isEqualTo("HALF_OPEN");
        assertThat(get(client, "/v1/x").status()).isEqualTo(200);
        assertThat(state(client)).isEqualTo("CLOSED");
        assertThat(server.getRequestCount()).isEqualTo(6);
    }

    @Test
    void aFailedTrialReopensTheCircuit() {
        for (int i = 0; i < 6; i++) {
            server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        }
        StackClient client = breakerClient();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackServerException.class);
        }
        clock.advance(Duration.ofMillis(30_001));
        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackServerException.class);
        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackServerException.class);
        assertThat(state(client)).isEqualTo("OPEN");
        assertThatThrownBy(() -> get(client, "/v1/x")).isInstanceOf(StackCircuitOpenException.class);
    }
}
