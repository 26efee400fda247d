package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;

/** Requests no well-behaved client sends still get an answer in STACK's error envelope (issue 16 item 4). */
class OddRequestsTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK = FakeControlPlaneExtension.perClass();

    @Test
    void aGetThatCarriesABodyIsAnsweredInStacksErrorEnvelope(FakeControlPlane fake) throws Exception {
        String body = "{\"x\":1}";
        RawSocket.Answer a = RawSocket.exchange(
                fake.baseUrl(),
                "GET /v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + fake.operatorApiKey()
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body);
        JsonNode error = Http.MAPPER.readTree(a.body()).path("error");
        assertThat(a.status()).as(a.head() + a.body()).isEqualTo(400);
        assertThat(error.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("body_not_allowed");
        assertThat(error.path("request_id").asText()).isNotEmpty();
    }

    @Test
    void aKeptAliveConnectionStaysInStepAroundARefusedBody(FakeControlPlane fake) throws Exception {
        String key = fake.operatorApiKey();
        String verify = "{\"token\":\"x.y.z\"}";
        String junk = "GET /v1/agents HTTP/1.1\r\nHost: x\r\n\r\n";
        String pipelined = "POST /v1/passports/verify HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nContent-Length: " + verify.length() + "\r\n\r\n" + verify
                + "GET /v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Length: " + junk.length() + "\r\n\r\n" + junk
                + "HEAD /v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                + "\r\nConnection: close\r\n\r\n";
        java.util.List<RawSocket.Answer> answers = RawSocket.exchangeAll(fake.baseUrl(), pipelined, 4);
        assertThat(answers.get(0).status()).isEqualTo(200);
        assertThat(Http.MAPPER.readTree(answers.get(0).body()).path("valid").asBoolean())
                .isFalse();
        assertThat(answers.get(1).status())
                .as("a body that looks like a request is skipped, not served")
                .isEqualTo(400);
        assertThat(answers.get(2).status()).isEqualTo(400);
        assertThat(answers.get(3).status()).isEqualTo(200);
        assertThat(Http.MAPPER.readTree(answers.get(3).body()).path("agents").isArray())
                .isTrue();
        assertThat(fake.journal().entries()).extracting(JournalEntry::status).containsSubsequence(200, 400, 400, 200);
    }

    @Test
    void aChunkedGetIsRefusedAndTheConnectionEnds(FakeControlPlane fake) throws Exception {
        RawSocket.Answer a = RawSocket.exchange(
                fake.baseUrl(),
                "GET /v1/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + fake.operatorApiKey()
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(a.status()).isEqualTo(400);
        JsonNode error = Http.MAPPER.readTree(a.body()).path("error");
        assertThat(error.path("details").path("reason").asText()).isEqualTo("body_not_allowed");
    }
}
