package run.getstack.sdk.dropoff.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackConflictException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.dropoff.StackDropoffAlreadyCollectedException;
import run.getstack.sdk.dropoff.StackDropoffExpiredException;
import run.getstack.sdk.dropoff.StackDropoffSchemaException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.internal.http.ErrorMapper;

/** What the drop-off error mapping takes from a server's {@code details}: only what it validated. */
class DropoffErrorsTest {
    private static final ErrorCodes MAPPER =
            ErrorCodes.builder().codes("dropoffs", DropoffErrors.codes()).build();

    private static StackException map(int status, String body) {
        return ErrorMapper.map(status, body.getBytes(StandardCharsets.UTF_8), null, "req_1", null, MAPPER);
    }

    @Test
    void alreadyCollectedNamesTheCollectorAndWhen() {
        StackException e = map(
                409,
                "{\"error\":{\"code\":\"DROPOFF_ALREADY_COLLECTED\",\"message\":\"m\",\"details\":{"
                        + "\"dropoff_id\":\"drp_1\",\"collected_by\":\"agt_2\",\"collected_at\":\"2026-11-30T12:00:00.000Z\"}}}");
        assertThat(e).isInstanceOfSatisfying(StackDropoffAlreadyCollectedException.class, c -> {
            assertThat(c.collectedBy()).contains("agt_2");
            assertThat(c.dropoffId()).contains("drp_1");
            assertThat(c.collectedAt()).contains(Instant.parse("2026-11-30T12:00:00Z"));
            assertThat(c.getMessage()).contains("drp_1", "agt_2", "409");
        });
        assertThat(e).isInstanceOf(StackConflictException.class);
    }

    @Test
    void aCredentialLikeOrMalformedCollectorIsDroppedNotEchoed() {
        StackException e = map(
                409,
                "{\"error\":{\"code\":\"DROPOFF_ALREADY_COLLECTED\",\"message\":\"m\",\"details\":{"
                        + "\"collected_by\":\"sk_live_op_abcdef\",\"collected_at\":\"yesterday\","
                        + "\"dropoff_id\":\"../x\"}}}");
        assertThat(e).isInstanceOfSatisfying(StackDropoffAlreadyCollectedException.class, c -> {
            assertThat(c.collectedBy()).isEmpty();
            assertThat(c.collectedAt()).isEmpty();
            assertThat(c.dropoffId()).isEmpty();
            assertThat(c.getMessage()).doesNotContain("sk_live");
        });
    }

    @Test
    void schemaIssuesAreBoundedAndTheirMessagesScrubbed() {
        StringBuilder issues = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            issues.append(i == 0 ? "" : ",")
                    .append("{\"path\":\"items.")
                    .append(i)
                    .append("\",\"message\":\"bad eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln\"}");
        }
        StackException e = map(
                422,
                "{\"error\":{\"code\":\"SCHEMA_VALIDATION_FAILED\",\"message\":\"m\",\"details\":{\"issues\":[" + issues
                        + ",{\"message\":\"no path\"}]}}}");
        assertThat(e).isInstanceOfSatisfying(StackDropoffSchemaException.class, s -> {
            assertThat(s.issues()).hasSize(DropoffErrors.MAX_ISSUES);
            assertThat(s.paths().get(0)).isEqualTo("items.0");
            assertThat(s.issues()).allSatisfy(i -> assertThat(i.message()).doesNotContain("eyJhbGci"));
            assertThat(s.httpStatus()).isEqualTo(422);
        });
    }

    @Test
    void expiredIsTypedAndOtherCodesPassOn() {
        assertThat(
                        map(
                                410,
                                "{\"error\":{\"code\":\"DROPOFF_EXPIRED\",\"message\":\"m\",\"details\":{\"dropoff_id\":\"drp_9\"}}}"))
                .isInstanceOfSatisfying(
                        StackDropoffExpiredException.class,
                        x -> assertThat(x.dropoffId()).contains("drp_9"));
        assertThat(map(409, "{\"error\":{\"code\":\"CONFLICT\",\"message\":\"m\"}}"))
                .isExactlyInstanceOf(StackConflictException.class);
    }
}
