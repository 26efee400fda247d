package run.getstack.sdk.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The canonical form against vectors produced by Node.js's own {@code JSON.stringify} and SHA-256
 * (src/test/resources/audit/gen-vectors.js generated json-stringify-vectors.json).
 */
class CanonicalJsonTest {
    private static final HexFormat HEX = HexFormat.of();

    static JsonNode vectors() throws IOException {
        try (InputStream in = Objects.requireNonNull(
                CanonicalJsonTest.class.getResourceAsStream("/audit/json-stringify-vectors.json"))) {
            return new ObjectMapper().readTree(in);
        }
    }

    static String fromUnits(JsonNode units) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode u : units) {
            sb.append((char) u.asInt());
        }
        return sb.toString();
    }

    @Test
    void everyStringIsWrittenExactlyAsJsonStringifyWritesIt() throws IOException {
        JsonNode strings = vectors().path("strings");
        assertThat(strings.size()).isGreaterThan(40);
        for (JsonNode v : strings) {
            String input = fromUnits(v.path("units"));
            byte[] got = new CanonicalJson().string(input).toByteArray();
            assertThat(HEX.formatHex(got))
                    .as("JSON.stringify of code units %s", v.path("units"))
                    .isEqualTo(v.path("json_utf8_hex").asText());
        }
    }

    @Test
    void theClientChainPreimagesAndHashesMatchNodesIncludingNonAsciiAndLoneSurrogates() throws IOException {
        ClientChain chain = new ClientChain();
        for (JsonNode c : vectors().path("chains")) {
            JsonNode jtiUnits = c.path("passport_jti_units");
            String jti = jtiUnits.isNull() ? null : fromUnits(jtiUnits);
            CanonicalJson pre = new CanonicalJson();
            ClientChain.preimage(
                    pre,
                    c.path("event_id").asText(),
                    c.path("timestamp").asLong(),
                    c.path("agent_id").asText(),
                    jti,
                    c.path("action").asText(),
                    c.path("outcome").asText(),
                    c.path("client_seq").asLong(),
                    c.path("client_prev_hash").asText());
            assertThat(HEX.formatHex(pre.toByteArray()))
                    .isEqualTo(c.path("preimage_utf8_hex").asText());
            assertThat(chain.hash(
                            c.path("event_id").asText(),
                            c.path("timestamp").asLong(),
                            c.path("agent_id").asText(),
                            jti,
                            c.path("action").asText(),
                            c.path("outcome").asText(),
                            c.path("client_seq").asLong(),
                            c.path("client_prev_hash").asText()))
                    .isEqualTo(c.path("client_hash").asText());
        }
    }

    @Test
    void controlCharactersUseLowerCaseHexUnlikeJacksonsDefault() throws IOException {
        assertThat(CanonicalJson.quote("\u001f\u000b")).isEqualTo("\"\\u001f\\u000b\"");
        assertThat(new ObjectMapper().writeValueAsString("\u001f")).isEqualTo("\"\\u001F\"");
    }

    @Test
    void loneSurrogatesAreEscapedAndPairsAreWrittenAsFourByteUtf8() {
        assertThat(CanonicalJson.quote("a\ud83dz")).isEqualTo("\"a\\ud83dz\"");
        assertThat(CanonicalJson.quote("\udfff")).isEqualTo("\"\\udfff\"");
        byte[] pair = new CanonicalJson().string("\ud83d\ude00").toByteArray();
        assertThat(new String(pair, StandardCharsets.UTF_8)).isEqualTo("\"\ud83d\ude00\"");
        assertThat(pair).hasSize(6);
    }

    @Test
    void longStringsGrowTheBufferWithoutLosingBytes() {
        String big = "\u00e9".repeat(10_000) + "\u0001" + "\ud800".repeat(100);
        String got = new CanonicalJson(16).string(big).toString();
        assertThat(got)
                .startsWith("\"\u00e9\u00e9")
                .endsWith("\\ud800\\ud800\"")
                .contains("\\u0001");
        assertThat(got).hasSize(2 + 10_000 + 6 + 600);
    }

    @Test
    void detailObjectsKeepInsertionOrderAndTypes() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("z", "last?");
        d.put("a", 12L);
        d.put("ok", true);
        assertThat(new CanonicalJson().detailObject(d).toString()).isEqualTo("{\"z\":\"last?\",\"a\":12,\"ok\":true}");
    }
}
