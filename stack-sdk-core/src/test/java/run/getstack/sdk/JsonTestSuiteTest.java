package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every JSONTestSuite {@code test_parsing} case through the SDK's response parser (as a 200 body): {@code y_}
 * must parse, {@code n_} must give {@link StackMalformedResponseException} and nothing else, {@code i_} may do either
 * but may throw nothing else.
 */
class JsonTestSuiteTest {
    private static final mockwebserver3.MockWebServer SERVER = new mockwebserver3.MockWebServer();
    private static StackClient client;

    @org.junit.jupiter.api.BeforeAll
    static void start() throws IOException {
        SERVER.start();
        client = StackClient.builder()
                .baseUrl(SERVER.url("/").toString())
                .apiKey("sk_live_op_jsontestsuite")
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .build();
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        client.close();
        SERVER.close();
    }

    /** Serves the bytes as a 200 application/json body and parses the response like any resource call. */
    private static Object parse(byte[] body) {
        SERVER.enqueue(new mockwebserver3.MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(new okio.Buffer().write(body))
                .build());
        return TransportTestSupport.get(client, "/v1/json").body();
    }

    static Stream<String> cases() throws IOException, URISyntaxException {
        URL dir = JsonTestSuiteTest.class.getResource("/jsontestsuite");
        assertThat(dir).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    private static byte[] read(String name) throws IOException {
        try (InputStream in = JsonTestSuiteTest.class.getResourceAsStream("/jsontestsuite/" + name)) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesAsJsonTestSuiteExpects(String name) throws IOException {
        byte[] body = read(name);
        if (name.startsWith("y_")) {
            assertThat(parse(body)).isNotNull();
        } else if (name.startsWith("n_")) {
            assertThatThrownBy(() -> parse(body)).isExactlyInstanceOf(StackMalformedResponseException.class);
        } else {
            try {
                parse(body);
            } catch (RuntimeException e) {
                assertThat(e).isExactlyInstanceOf(StackMalformedResponseException.class);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theSuiteIsComplete() throws Exception {
        assertThat(cases().filter(n -> n.startsWith("y_")).count()).isEqualTo(95);
        assertThat(cases().filter(n -> n.startsWith("n_")).count()).isEqualTo(188);
        assertThat(cases().filter(n -> n.startsWith("i_")).count()).isEqualTo(35);
    }
}
