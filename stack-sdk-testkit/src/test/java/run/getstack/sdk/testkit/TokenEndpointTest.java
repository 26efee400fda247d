package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code POST /v1/oauth/token} [Extension]: the refresh-token grant behind credential discovery. */
class TokenEndpointTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perTest().configure(b -> b.clock(CLOCK));

    FakeControlPlane fake;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
    }

    record Token(int status, JsonNode json, String cacheControl) {}

    private Token exchange(FormBody form) throws IOException {
        Request req = new Request.Builder()
                .url(fake.baseUrl() + "/v1/oauth/token")
                .post(form)
                .build();
        try (Response r = Http.CLIENT.newCall(req).execute()) {
            return new Token(r.code(), Http.MAPPER.readTree(r.body().string()), r.header("Cache-Control"));
        }
    }

    private Token refresh(String token) throws IOException {
        return exchange(new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", token)
                .build());
    }

    @Test
    void aRefreshTokenBuysAFiveMinuteAccessTokenAndRotates() throws IOException {
        String first = fake.seed().refreshToken();

        Token t = refresh(first);

        assertThat(t.status()).isEqualTo(200);
        assertThat(t.cacheControl()).isEqualTo("no-store");
        assertThat(t.json().path("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.json().path("expires_in").asInt()).isEqualTo(300);
        String access = t.json().path("access_token").asText();
        String next = t.json().path("refresh_token").asText();
        assertThat(next).isNotEqualTo(first);
        Http asOperator = new Http(fake.baseUrl(), access);
        assertThat(asOperator.get("/v1/agents").status()).isEqualTo(200);

        CLOCK.advance(Duration.ofMinutes(5));
        Http.Reply expired = asOperator.get("/v1/agents");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.reason()).isEqualTo("token_expired");
        assertThat(refresh(next).status()).isEqualTo(200);
    }

    @Test
    void aReusedRefreshTokenIsRefusedButItsSuccessorStillWorks() throws IOException {
        String first = fake.seed().refreshToken();
        String second = refresh(first).json().path("refresh_token").asText();

        Token reused = refresh(first);

        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().path("error").asText()).isEqualTo("invalid_grant");
        assertThat(reused.json().toString()).doesNotContain(first);
        assertThat(refresh(second).status()).isEqualTo(200); // a lost race never locks the winner out
        assertThat(refresh("srt_never_issued").json().path("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void malformedGrantsAreRefusedTheOAuthWay() throws IOException {
        assertThat(exchange(new FormBody.Builder().add("refresh_token", "x").build())
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("invalid_request");
        assertThat(exchange(new FormBody.Builder().add("grant_type", "password").build())
                        .json()
                        .path("error")
                        .asText())
                .isEqualTo("unsupported_grant_type");
        assertThat(exchange(new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .build())
                        .status())
                .isEqualTo(400);
        assertThat(new Http(fake.baseUrl(), "sat_forged").get("/v1/agents").status())
                .isEqualTo(401);
    }

    @Test
    void refreshTokensOfUpTo4096VisibleAsciiCharactersAreLookedUpLongerOrOtherOnesAreMalformed() throws IOException {
        // the bound the SDK puts on the credentials file's token (wire protocol §1.4): the fake must not refuse a
        // token the SDK accepts as malformed, nor accept one the SDK would never send
        Token longest = refresh("srt_" + "a".repeat(4092));
        assertThat(longest.status()).isEqualTo(400);
        assertThat(longest.json().path("error").asText())
                .as("well-formed, just not issued")
                .isEqualTo("invalid_grant");

        Token tooLong = refresh("srt_" + "a".repeat(4093));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(tooLong.json().path("error_description").asText())
                .contains("4096")
                .doesNotContain("aaaa");

        Token notVisible = refresh("srt_with space");
        assertThat(notVisible.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(notVisible.json().path("error_description").asText()).doesNotContain("with space");
    }

    @Test
    void theRouteIsAnExtension() {
        assertThat(fake.routes()).contains(new FakeRoute("POST", "/v1/oauth/token", RouteOrigin.EXTENSION));
    }
}
