package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.StackServerException;

/**
 * {@link ErrorMapper} at its boundaries: the status ranges, the excerpt length, the longest accepted request id, and
 * which request id a malformed body reports.
 */
class ErrorMapperMutationTest {
    private static final String SENT = "req_sent_by_the_sdk";

    private static StackException map(int status, String body, String headerRequestId) {
        return ErrorMapper.map(
                status, body.getBytes(StandardCharsets.UTF_8), headerRequestId, SENT, null, ErrorCodes.transportOnly());
    }

    private static String envelope(String inner) {
        return "{\"error\":{" + inner + "}}";
    }

    @Test
    void onlyStatuses500To599AreServerErrors() {
        String body = envelope("\"message\":\"x\",\"code\":\"SOME_CODE\"");
        assertThat(map(499, body, null)).isExactlyInstanceOf(StackApiException.class);
        assertThat(map(500, body, null)).isExactlyInstanceOf(StackServerException.class);
        assertThat(map(599, body, null)).isExactlyInstanceOf(StackServerException.class);
        assertThat(map(600, body, null)).isExactlyInstanceOf(StackApiException.class);
    }

    @Test
    void aMessageOfExactlyTheExcerptLengthIsKeptWholeAndOneCharacterMoreIsCut() {
        String exact = "word ".repeat(ErrorMapper.MAX_MESSAGE_EXCERPT / 5);
        assertThat(exact).hasSize(ErrorMapper.MAX_MESSAGE_EXCERPT);
        assertThat(ErrorMapper.excerpt(exact)).isEqualTo(exact);

        String longer = exact + "x";
        assertThat(ErrorMapper.excerpt(longer)).isEqualTo(exact + "...");
        assertThat(map(400, envelope("\"message\":\"" + longer + "\""), null).detailMessage())
                .isEqualTo(exact + "...");
    }

    @Test
    void aVeryLongMessageIsCutToTheExcerptLength() {
        String huge = "word ".repeat(1000);
        assertThat(ErrorMapper.excerpt(huge))
                .hasSize(ErrorMapper.MAX_MESSAGE_EXCERPT + 3)
                .endsWith("...");
    }

    @Test
    void aRequestIdOf128CharactersIsKeptAnd129AreReplacedByTheSentOne() {
        // dots keep it from looking like a credential (no run of 32 or more key-like characters)
        String id128 = "abcdefghij.".repeat(11) + "abcdefg";
        assertThat(id128).hasSize(128);
        assertThat(map(404, envelope("\"message\":\"x\",\"request_id\":\"" + id128 + "\""), null)
                        .requestId())
                .isEqualTo(id128);
        assertThat(map(404, envelope("\"message\":\"x\",\"request_id\":\"" + id128 + "h\""), null)
                        .requestId())
                .isEqualTo(SENT);
    }

    @Test
    void absentCodeAndRequestIdAreNullAndTheSentIdIsReported() {
        StackException e = map(409, envelope("\"message\":\"conflict\""), null);
        assertThat(e.errorCode()).isNull();
        assertThat(e.requestId()).isEqualTo(SENT);
        assertThat(((StackApiException) e).reason()).isNull();

        StackException nonText = map(409, envelope("\"message\":\"c\",\"code\":7,\"request_id\":false"), null);
        assertThat(nonText.errorCode()).isNull();
        assertThat(nonText.requestId()).isEqualTo(SENT);
    }

    @Test
    void aMalformedBodyReportsTheResponseHeadersRequestIdElseTheSentOne() {
        StackException withHeader = map(502, "<html>bad gateway</html>", "req_from_header");
        assertThat(withHeader).isInstanceOf(StackMalformedResponseException.class);
        assertThat(withHeader.requestId()).isEqualTo("req_from_header");

        StackException withoutHeader = map(502, "<html>bad gateway</html>", null);
        assertThat(withoutHeader.requestId()).isEqualTo(SENT);

        StackException noEnvelope = map(502, "{\"oops\":1}", null);
        assertThat(noEnvelope).isInstanceOf(StackMalformedResponseException.class);
        assertThat(noEnvelope.requestId()).isEqualTo(SENT);
        assertThat(map(502, "{\"oops\":1}", "req_h").requestId()).isEqualTo("req_h");
    }
}
