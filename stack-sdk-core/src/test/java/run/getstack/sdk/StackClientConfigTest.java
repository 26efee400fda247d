package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StackClientConfigTest {
    private static final String KEY = "sk_live_op_abcdefghijklmnop0123456789";

    private static StackClient.Builder noEnv() {
        return StackClient.builder().environment(name -> null);
    }

    @Test
    void defaultsAreTheDocumentedConstants() {
        try (StackClient c = noEnv().apiKey(KEY).build()) {
            assertThat(c.baseUrl()).isEqualTo(StackClient.DEFAULT_BASE_URL + "/");
            assertThat(c.connectTimeout())
                    .isEqualTo(StackClient.DEFAULT_CONNECT_TIMEOUT)
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(c.readTimeout())
                    .isEqualTo(StackClient.DEFAULT_READ_TIMEOUT)
                    .isEqualTo(Duration.ofSeconds(30));
            assertThat(c.callTimeout())
                    .isEqualTo(StackClient.DEFAULT_CALL_TIMEOUT)
                    .isEqualTo(Duration.ofSeconds(30));
            assertThat(c.maxResponseBytes())
                    .isEqualTo(StackClient.DEFAULT_MAX_RESPONSE_BYTES)
                    .isEqualTo(4L << 20);
            assertThat(c.retryPolicy().maxAttempts()).isEqualTo(RetryPolicy.DEFAULT_MAX_ATTEMPTS);
            assertThat(c.circuitBreakerPolicy().enabled()).isTrue();
            assertThat(c.agentId()).isEmpty();
        }
    }

    @Test
    void retryAndBreakerDefaultsAreTheDocumentedConstants() {
        RetryPolicy r = RetryPolicy.defaults();
        assertThat(r.maxAttempts()).isEqualTo(3);
        assertThat(r.baseDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(r.maxDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.maxElapsed()).isEqualTo(Duration.ofSeconds(30));
        CircuitBreakerPolicy b = CircuitBreakerPolicy.defaults();
        assertThat(b.slidingWindowSize()).isEqualTo(20);
        assertThat(b.minimumNumberOfCalls()).isEqualTo(10);
        assertThat(b.failureRateThreshold()).isEqualTo(50);
        assertThat(b.waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.permittedCallsInHalfOpenState()).isEqualTo(3);
    }

    @Test
    void anEmptyApiKeyIsRefusedAtOnce() {
        assertThatThrownBy(() -> noEnv().apiKey(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey: is empty");
    }

    @Test
    void anEmptyApiKeyDoesNotFallBackToTheEnvironment() {
        assertThatThrownBy(() -> StackClient.builder()
                        .environment(Map.of("STACK_API_KEY", KEY)::get)
                        .apiKey("")
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingApiKeyNamesTheSettingTheVariableAndTheCredentialsFile(@org.junit.jupiter.api.io.TempDir Path home) {
        Path file = home.resolve(".stack").resolve("credentials.json");
        assertThatThrownBy(() -> noEnv().homeDirectory(home).build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageStartingWith("apiKey: not set, STACK_API_KEY is empty and " + file + " does not exist");
        assertThatThrownBy(() -> StackClient.builder()
                        .environment(Map.of("STACK_API_KEY", "  ")::get)
                        .homeDirectory(home)
                        .build())
                .hasMessageStartingWith("apiKey: not set, STACK_API_KEY is empty and " + file + " does not exist");
    }

    @Test
    void theApiKeyFallsBackToStackApiKey() throws Exception {
        try (mockwebserver3.MockWebServer server = new mockwebserver3.MockWebServer()) {
            server.start();
            server.enqueue(TransportTestSupport.json(200, "{}"));
            try (StackClient c = StackClient.builder()
                    .environment(Map.of("STACK_API_KEY", KEY)::get)
                    .baseUrl(server.url("/").toString())
                    .build()) {
                TransportTestSupport.get(c, "/v1/agents");
            }
            assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        }
    }

    @Test
    void anApiKeyWithWhitespaceOrControlCharactersIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> noEnv().apiKey("sk_live_abc\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("apiKey:")
                .hasMessageNotContaining("sk_live_abc");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://api.getstack.run",
                "http://10.0.0.1:8080",
                "http://localhost.evil.example",
                "http://127.0.0.1.nip.io",
                "http://[::2]:80"
            })
    void plainHttpToANonLoopbackHostIsRefused(String url) {
        assertThatThrownBy(() -> noEnv().apiKey(KEY).baseUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl: http:// is only allowed for a loopback host");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://localhost:8080",
                "http://127.0.0.1:1234/",
                "http://127.1.2.3",
                "http://[::1]:9000",
                "https://api.getstack.run",
                "https://stack.internal.example/prefix/"
            })
    void httpsAndLoopbackHttpAreAccepted(String url) {
        noEnv().apiKey(KEY).baseUrl(url).build().close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not a url",
                "ftp://x.example",
                "https://user:pw@api.getstack.run",
                "https://api.getstack.run/?a=b",
                "https://api.getstack.run/#frag"
            })
    void malformedBaseUrlsAreRefused(String url) {
        assertThatThrownBy(() -> noEnv().apiKey(KEY).baseUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("baseUrl:")
                .hasMessageNotContaining("pw");
    }

    @Test
    void aMalformedAgentIdIsRefused() {
        assertThatThrownBy(() -> noEnv().apiKey(KEY).agentId("agt/../x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("agentId:");
    }

    @Test
    void settersValidateAtOnce() {
        assertThatThrownBy(() -> StackClient.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("connectTimeout:");
        assertThatThrownBy(() -> StackClient.builder().readTimeout(Duration.ofSeconds(-1)))
                .hasMessageStartingWith("readTimeout:");
        assertThatThrownBy(() -> StackClient.builder().callTimeout(Duration.ofHours(1)))
                .hasMessageStartingWith("callTimeout:");
        assertThatThrownBy(() -> StackClient.builder().maxResponseBytes(0)).hasMessageStartingWith("maxResponseBytes:");
        assertThatThrownBy(() -> StackClient.builder().clock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).hasMessageStartingWith("maxAttempts:");
        assertThatThrownBy(() -> RetryPolicy.builder()
                        .baseDelay(Duration.ofSeconds(5))
                        .maxDelay(Duration.ofSeconds(1))
                        .build())
                .hasMessageStartingWith("maxDelay:");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureRateThreshold(101))
                .hasMessageStartingWith("failureRateThreshold:");
    }

    @Test
    void toStringShowsTheConfigurationButNotTheKey() {
        try (StackClient c = noEnv().apiKey(KEY).agentId("agt_1").build()) {
            assertThat(c.toString())
                    .contains("baseUrl=https://api.getstack.run/", "agentId=agt_1", "connectTimeout=PT5S")
                    .contains("apiKey=Secret[redacted")
                    .doesNotContain(KEY)
                    .doesNotContain("abcdefghijklmnop");
        }
    }

    @Test
    void closeLeavesASharedOkHttpClientUsable() {
        OkHttpClient shared = new OkHttpClient();
        java.util.concurrent.ExecutorService executor = shared.dispatcher().executorService();
        StackClient c = noEnv().apiKey(KEY).okHttpClient(shared).build();
        c.close();
        c.close();
        assertThat(executor.isShutdown()).isFalse();
        executor.shutdown();
    }
}
