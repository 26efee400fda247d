package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.internal.http.ApiRequest;

class NoSecretLeakTest extends TransportTestSupport {
    private static final String PASSPORT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhZ3RfMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w + " " + t;
    }

    @Test
    void noFailurePathPutsTheApiKeyOrPassportIntoAnExceptionOrItsStackTrace() {
        // the server echoes both secrets everywhere it can
        String echo = "key " + API_KEY + " passport " + PASSPORT;
        server.enqueue(error(401, "INVALID_API_KEY", echo));
        server.enqueue(json(200, "{\"token\": \"" + PASSPORT + "\", \"bad"));
        server.enqueue(new MockResponse.Builder()
                .code(500)
                .setHeader("Content-Type", "text/html")
                .body("<html>" + echo + "</html>")
                .build());
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket(true, true, true))
                .build());
        server.enqueue(json(200, "{\"token\": 5, \"echo\": \"" + echo + "\"}"));
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body("{\"token\":\"" + PASSPORT + "\",\"pad\":\"" + "x".repeat(5000) + "\"}")
                .build());
        StackClient client = clientBuilder()
                .retryPolicy(RetryPolicy.none())
                .maxResponseBytes(4096)
                .build();
        ApiRequest withPassport = ApiRequest.get("/v1/credentials/slack")
                .passportToken(Secret.of(PASSPORT))
                .build();

        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            failures.add(catchThrowable(() -> client.transport().execute(withPassport)));
        }
        failures.add(catchThrowable(() -> client.transport()
                .execute(
                        withPassport,
                        r -> run.getstack.sdk.internal.http.JsonFields.text(r.requireObject(), "token"))));
        failures.add(catchThrowable(() -> client.transport().execute(withPassport)));

        assertThat(failures).hasSize(6).doesNotContainNull();
        assertThat(failures).allSatisfy(t -> assertThat(t).isInstanceOf(StackException.class));
        for (Throwable t : failures) {
            assertThat(everything(t))
                    .doesNotContain(API_KEY)
                    .doesNotContain("TESTKEYtestkey")
                    .doesNotContain(PASSPORT)
                    .doesNotContain("c2lnbmF0dXJl");
        }
        assertThat(client.toString()).doesNotContain(API_KEY);
    }

    @Test
    void aPassportTokenWithAStrayNewlineIsRefusedWithoutQuotingIt() {
        StackClient client = clientBuilder().retryPolicy(RetryPolicy.none()).build();
        ApiRequest bad = ApiRequest.get("/v1/credentials/slack")
                .passportToken(Secret.of(PASSPORT + "\n"))
                .build();

        Throwable t = catchThrowable(() -> client.transport().execute(bad));

        assertThat(t).isInstanceOf(StackException.class).hasMessageContaining("X-Passport-Token");
        assertThat(everything(t)).doesNotContain(PASSPORT).doesNotContain("c2lnbmF0dXJl");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aSharedOkHttpClientsAuthenticatorNeverResendsACallWithItsOwnCredential() throws Exception {
        server.enqueue(error(401, "INVALID_API_KEY", "no"));
        server.enqueue(json(200, "{}"));
        okhttp3.OkHttpClient shared = new okhttp3.OkHttpClient.Builder()
                .authenticator((route, response) -> response.request()
                        .newBuilder()
                        .header("Authorization", "Bearer OTHER_SERVICE_TOKEN")
                        .build())
                .build();
        StackClient client = clientBuilder()
                .okHttpClient(shared)
                .retryPolicy(RetryPolicy.none())
                .build();

        Throwable t = catchThrowable(() -> client.transport()
                .execute(ApiRequest.post(
                                "/v1/passports/pp_1/revoke",
                                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())
                        .build()));

        assertThat(t).isInstanceOf(StackAuthenticationException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    }
}
