package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint tests' one set of assertions on the fake's answers (the HTTP side is {@link Http}): a success status
 * with its body, and STACK's error envelope {@code {"error": {code, message, details?, request_id}}} (wire protocol
 * §1.5). Every status assertion carries the body as its description, so a failure shows what the fake said.
 */
final class Replies {
    private Replies() {}

    /**
     * Asserts the status and returns the parsed body.
     *
     * @param r the reply
     * @param status the expected status
     * @return the body
     */
    static JsonNode ok(Http.Reply r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return r.json();
    }

    /**
     * Asserts an error's status and code.
     *
     * @param r the reply
     * @param status the expected status
     * @param code the expected {@code error.code}
     */
    static void assertError(Http.Reply r, int status, String code) {
        assertError(r, status, code, null);
    }

    /**
     * Asserts an error's status and code and, when given, the path its first issue names ({@code
     * error.details.issues[0].path}).
     *
     * @param r the reply
     * @param status the expected status
     * @param code the expected {@code error.code}
     * @param path the expected first issue's path, or null to not check it
     */
    static void assertError(Http.Reply r, int status, String code, @Nullable String path) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.code()).as(r.text()).isEqualTo(code);
        if (path != null) {
            assertThat(r.json()
                            .path("error")
                            .path("details")
                            .path("issues")
                            .get(0)
                            .path("path")
                            .asText())
                    .isEqualTo(path);
        }
    }

    /**
     * Asserts an error's status, code and {@code error.details.reason}.
     *
     * @param r the reply
     * @param status the expected status
     * @param code the expected {@code error.code}
     * @param reason the expected reason
     */
    static void assertRefused(Http.Reply r, int status, String code, String reason) {
        assertError(r, status, code);
        assertThat(r.reason()).as(r.text()).isEqualTo(reason);
    }

    /**
     * Asserts the whole envelope: status, code, a textual message, the request id echoing {@code X-Request-Id}, and
     * a JSON content type.
     *
     * @param r the reply
     * @param status the expected status
     * @param code the expected {@code error.code}
     */
    static void assertEnvelope(Http.Reply r, int status, String code) {
        assertError(r, status, code);
        assertThat(r.json().path("error").path("message").isTextual()).isTrue();
        assertThat(r.json().path("error").path("request_id").asText()).isEqualTo(r.header("X-Request-Id"));
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    /**
     * One field of {@code error.details}, as text.
     *
     * @param r the reply
     * @param field the field
     * @return its text ("" when missing)
     */
    static String detail(Http.Reply r, String field) {
        return r.json().path("error").path("details").path(field).asText();
    }
}
