package run.getstack.sdk.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;

/**
 * The credential check on server-supplied strings catches each credential STACK issues at its real minimum length
 * ({@code docs/wire-protocol.md} §1.2, §1.4, §5.1), and leaves ordinary words and STACK ids alone. Before, only runs
 * of 32 characters or more (and {@code sk_}/{@code eyJ} anywhere) were caught: a short lease id or OAuth token went
 * through, while a long error code ({@code DELEGATION_ACCOUNTABILITY_VIOLATION}) and any word holding {@code sk_}
 * ({@code risk_limit}) were taken for credentials and dropped.
 */
class ErrorMapperCredentialShapesTest {
    /** An agent's private seed as the key file holds it: base64url without padding of 32 bytes (43 characters). */
    private static final String SEED = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32
    });

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sk_live_op_k3j5h6g7f8d9s0a1q2w3e4r5t6y7u8i9o0p1a2s3", // operator key as the fake issues it
                "sk_live_mem_abc123", // member key
                "sk_live_x", // the shortest key with STACK's prefix
                "sk_test_1",
                "sk_abc", // a key word of another kind
                "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhZ3RfMSJ9.c2ln", // a passport or agent-signed JWT
                "eyJhbGciOiJFZERTQSJ9", // a JWT's header alone
                "lse_0123456789abcdefghijklmnopqrstuv", // a lease id: lse_ and 32 characters
                "lse_x", // a lease id of any length is bearer-ish
                "srt_q7w8e9r0t1y2u3i4o5p6a7s8d9f0g1h2j3k4l5z6x7c8v9b0", // the fake's refresh token
                "sat_q7w8e9r0t1y2u3i4o5p6a7s8d9f0g1h2j3k4l5z6x7c8v9b0", // the fake's access token
                "srt_abc",
                "sk-proj-abc123", // a provider key held as a credential value (wire protocol §4.2's example)
                "Zq8vN3xK7pL2mR9tW4yB6cD1", // 24 base64 characters with a digit
                "ZqXvNaxKbpLcmRdtWeyBfcDgfGhhJikQ", // 32 mixed-case base64 characters without a digit
                "ZqXvNaxKbpLcmRdtWeyBfcD0", // 24 characters whose one digit is the lowest
                "ZqXvNaxKbpLcmRdtWeyBfcD9", // and the highest
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", // a SHA-256 in hex
            })
    void eachCredentialShapeIsRedactedFromAMessageAndRefusedAsAnIdentifier(String secret) {
        for (String around : new String[] {"%s", "key %s leaked", "token=%s.", "(%s)"}) {
            String out = ErrorMapper.excerpt(around.formatted(secret));
            assertThat(out).as(around).doesNotContain(secret).contains("[redacted]");
        }
        assertThat(ErrorMapper.identifier(secret, ErrorMapper.REQUEST_ID)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"key=sk_live_abc", "xsk_live_op_4f0c9a2b7d1e5f3a", "a.eyJhbGciOiJIUzI1NiJ9", "x_sk_live_a"})
    void stacksKeyAndJwtPrefixesCountWhereverTheyStart(String s) {
        assertThat(ErrorMapper.excerpt(s)).doesNotContain("_abc").doesNotContain("eyJ");
        assertThat(ErrorMapper.carriesKeyOrJwt(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lse_4f0c",
                "srt_1",
                "sat_1",
                "sk_live_1",
                "sk-proj-1",
                "x_lse_4f0c",
                "agt_sk-proj-9x",
                "pp_eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0",
                "eyJhbGciOiJFZERTQSJ9"
            })
    void anIdentifierCarryingALeaseIdOrTokenIsRefused(String s) {
        assertThat(ErrorMapper.carriesKeyOrJwt(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "agt_7kx9m2nq4p",
                "agt_support_bot",
                "req_0a1b2c3d4e5f6g7h8i9j0k1l", // a request id as STACK and the SDK make them
                "svc_conn_0a1b2c3d4e5f6g7h8i9j0k1l",
                "cred_ref_0a1b2c3d4e5f6g7h8i9j0k1l",
                "pp_8f3a_child",
                "ms_0a1b2c3d4e5f6g7h8i9j0k1l",
                "gvr_0a1b2c3d4e5f6g7h8i9j0k1l",
                "DELEGATION_ACCOUNTABILITY_VIOLATION",
                "intent_approval_mismatch",
                "risk_limit",
                "disk_full",
                "ask_user",
                "Zq8vN3xK7pL2mR9tW4yB6cD", // 23 characters: below the opaque-run minimum
            })
    void ordinaryWordsAndStackIdsAreKept(String word) {
        assertThat(ErrorMapper.excerpt("refused: " + word + " (see docs)"))
                .isEqualTo("refused: " + word + " (see docs)");
        assertThat(ErrorMapper.identifier(word, ErrorMapper.REQUEST_ID)).isEqualTo(word);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "agt_7kx9m2nq4p",
                "task_123",
                "risk_1",
                "pp_8f3a",
                "ctr_abc",
                // review: a bare eyJ inside a word, or a word prefix after '_', refused these ids (and the passports
                // of agents so named, after STACK had issued them)
                "agt_surveyJsonBot",
                "surveyJsonBot",
                "agt_monkeyJob",
                "pp_aBeyJ9x",
                "agt_sat_uploader",
                "ses_lse_cleanup",
                "agt_sk-helper",
                // second review: an API-key prefix glued inside a word, and a short dotted run after eyJ
                "agt_task_test_bot",
                "risk_live_feed",
                "desk_test_1",
                "monkeyJob.run",
                "agt_surveyJson.v2"
            })
    void anIdWithAKeyWordInsideIsNotACredential(String id) {
        assertThat(ErrorMapper.carriesKeyOrJwt(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG", // a one-case word of 33 characters
                "abcdefghijklmnopqrstuvwxyzabcdefg",
                "AbCdEfGhIjKlMnOpQrStUvWxYz" // mixed case without a digit, under 32 characters
            })
    void aDigitlessRunIsACredentialOnlyFrom32CharactersAndNotAsAOneCaseWord(String run) {
        assertThat(ErrorMapper.excerpt(run)).isEqualTo(run);
        assertThat(ErrorMapper.excerpt(run + "h1")).isEqualTo("[redacted]");
    }

    @ParameterizedTest
    @ValueSource(ints = {31, 32})
    void aMixedCaseRunWithoutADigitIsRedactedFrom32Characters(int length) {
        String run = "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh".substring(0, length);

        assertThat(ErrorMapper.excerpt(run)).isEqualTo(length >= 32 ? "[redacted]" : run);
    }

    @ParameterizedTest
    @ValueSource(ints = {23, 24})
    void aRunWithADigitIsRedactedFrom24Characters(int length) {
        String run = "Zq8vN3xK7pL2mR9tW4yB6cD1f".substring(0, length);

        assertThat(ErrorMapper.excerpt(run)).isEqualTo(length >= 24 ? "[redacted]" : run);
        assertThat(ErrorMapper.identifier(run, ErrorMapper.REQUEST_ID)).isEqualTo(length >= 24 ? null : run);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELEGATION_ACCOUNTABILITY_VIOLATION", "SCHEMA_VALIDATION_FAILED"})
    void aLongErrorCodeAndAReasonWithAKeyWordInsideReachTheException(String code) {
        String body = "{\"error\":{\"message\":\"no: " + SEED + "\",\"code\":\"" + code
                + "\",\"request_id\":\"req_0a1b2c3d4e5f6g7h8i9j0k1l\",\"details\":{\"reason\":\"risk_limit\"}}}";

        StackException e = ErrorMapper.map(
                400, body.getBytes(StandardCharsets.UTF_8), null, "req_sent", null, ErrorCodes.transportOnly());

        assertThat(e).isInstanceOfSatisfying(StackApiException.class, a -> {
            assertThat(a.errorCode()).isEqualTo(code);
            assertThat(a.reason()).isEqualTo("risk_limit");
            assertThat(a.requestId()).isEqualTo("req_0a1b2c3d4e5f6g7h8i9j0k1l");
            assertThat(a.getMessage()).doesNotContain(SEED).contains("[redacted]");
        });
    }

    @org.junit.jupiter.api.Test
    void aValueTooLongToSearchCountsAsCarryingACredential() {
        // second review: some alternatives scan to the end of a run when they fail, and the search restarts one
        // character on, so a long run of near-misses took seconds; past the bound the answer is yes, at once
        String longest = "a".repeat(ErrorMapper.MAX_CHECKED_LENGTH);
        assertThat(ErrorMapper.carriesKeyOrJwt(longest)).isFalse();
        assertThat(ErrorMapper.carriesKeyOrJwt(longest + "a")).isTrue();
        assertThat(ErrorMapper.carriesKeyOrJwt("_sk_".repeat(16 * 1024))).isTrue();
    }
}
