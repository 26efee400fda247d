package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token endpoint's answer is untrusted input (a server or proxy the fake would never be): every malformed answer
 * is a typed failure that shows no token, and the credentials file is left as it was.
 */
class CredentialTokenResponseTest {
    private static final String REFRESH = "srt_the_stored_refresh_token_0123456789";

    @TempDir
    Path home;

    private Path seed() throws Exception {
        Path file = home.resolve(".stack").resolve("credentials.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"refresh_token\":\"" + REFRESH + "\"}");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return file;
    }

    @Test
    void everyMalformedTokenAnswerIsAMalformedResponseAndTheFileIsUnchanged() throws Exception {
        Path file = seed();
        String access = "sat_access_token_that_must_not_leak_0123456789";
        List<String> answers = List.of(
                "{\"token_type\":\"Bearer\",\"expires_in\":300}",
                "{\"access_token\":\"" + access + "\",\"token_type\":\"mac\",\"expires_in\":300}",
                "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":0}",
                "{\"access_token\":\"" + access + "\",\"token_type\":\"Bearer\",\"expires_in\":86401}",
                "{\"access_token\":\"" + access + " x\",\"token_type\":\"Bearer\",\"expires_in\":300}",
                "{\"access_token\":\"" + access
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\"\"}",
                "[]");
        for (String answer : answers) {
            try (MockWebServer server = new MockWebServer()) {
                server.start();
                server.enqueue(TransportTestSupport.json(200, answer));
                try (StackClient c = StackClient.builder()
                        .baseUrl(server.url("/").toString())
                        .environment(name -> null)
                        .homeDirectory(home)
                        .retryPolicy(RetryPolicy.none())
                        .build()) {
                    assertThatThrownBy(() -> TransportTestSupport.get(c, "/v1/agents"))
                            .as(answer)
                            .isInstanceOf(StackMalformedResponseException.class)
                            .hasMessageNotContaining(access)
                            .hasMessageNotContaining(REFRESH);
                }
                RecordedRequest sent = server.takeRequest();
                assertThat(sent.getTarget()).isEqualTo("/v1/oauth/token");
                assertThat(sent.getHeaders().get("Authorization")).isNull();
                assertThat(sent.getBody().utf8()).isEqualTo("grant_type=refresh_token&refresh_token=" + REFRESH);
                assertThat(server.getRequestCount())
                        .as("nothing is sent with a malformed token")
                        .isEqualTo(1);
            }
            assertThat(Files.readString(file)).isEqualTo("{\"refresh_token\":\"" + REFRESH + "\"}");
        }
    }

    @Test
    void aRotatedRefreshTokenIsKeptEvenWhenTheRestOfTheAnswerIsMalformed() throws Exception {
        // review: STACK rotates the refresh token on every use, so once it answered 200 the stored one is spent; a
        // malformed access token or expiry must not throw the new refresh token away (that locks the operator out)
        Path file = seed();
        String rotated = "srt_the_rotated_refresh_token_9876543210";
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(TransportTestSupport.json(
                    200,
                    "{\"access_token\":\"sat_x\",\"token_type\":\"Bearer\",\"expires_in\":0," + "\"refresh_token\":\""
                            + rotated + "\"}"));
            try (StackClient c = StackClient.builder()
                    .baseUrl(server.url("/").toString())
                    .environment(name -> null)
                    .homeDirectory(home)
                    .retryPolicy(RetryPolicy.none())
                    .build()) {
                assertThatThrownBy(() -> TransportTestSupport.get(c, "/v1/agents"))
                        .isInstanceOf(StackMalformedResponseException.class)
                        .hasMessageNotContaining(rotated);
            }
            assertThat(server.getRequestCount()).isEqualTo(1);
        }
        assertThat(Files.readString(file)).contains(rotated).doesNotContain(REFRESH);
    }

    @Test
    void anOAuthErrorOtherThanInvalidGrantIsTypedByStatusWithItsCodeAndIsNotRetried() throws Exception {
        seed();
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(TransportTestSupport.json(
                    400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"no " + REFRESH + "\"}"));
            try (StackClient c = StackClient.builder()
                    .baseUrl(server.url("/").toString())
                    .environment(name -> null)
                    .homeDirectory(home)
                    .build()) {
                assertThatThrownBy(() -> TransportTestSupport.get(c, "/v1/agents"))
                        .isInstanceOfSatisfying(
                                StackInvalidRequestException.class,
                                e -> assertThat(e.errorCode()).isEqualTo("unsupported_grant_type"))
                        .hasMessageNotContaining(REFRESH);
            }
            assertThat(server.getRequestCount()).isEqualTo(1);
        }
    }
}
