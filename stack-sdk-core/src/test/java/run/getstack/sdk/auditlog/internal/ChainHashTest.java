package run.getstack.sdk.auditlog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;

/** The chain preimage: ECMAScript JSON.stringify escaping, checked by hand and against the testkit's own writer. */
class ChainHashTest {

    private static String js(String s) {
        StringBuilder sb = new StringBuilder();
        ChainHash.string(sb, s);
        return sb.toString();
    }

    @Test
    void stringsAreEscapedAsEcmaScriptDoes() {
        assertThat(js("plain")).isEqualTo("\"plain\"");
        assertThat(js("q\"b\\")).isEqualTo("\"q\\\"b\\\\\"");
        assertThat(js("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(js("\u0000\u001f\u000b")).isEqualTo("\"\\u0000\\u001f\\u000b\"");
        assertThat(js("a/b \u2028\u2029 é 😀 \u007f")).isEqualTo("\"a/b \u2028\u2029 é 😀 \u007f\"");
        assertThat(js("lone \ud800 high, lone \udc00 low, reversed \udc00\ud800"))
                .isEqualTo("\"lone \\ud800 high, lone \\udc00 low, reversed \\udc00\\ud800\"");
        StringBuilder sb = new StringBuilder();
        ChainHash.string(sb, null);
        assertThat(sb).hasToString("null");
    }

    @Test
    void escapingMatchesTheTestkitsIndependentWriter() {
        List<String> samples = List.of(
                "",
                "\u0001\u0002\u001e",
                "\"\\",
                "tab\there",
                "\ud83d\ude00",
                "\ud83d",
                "\ude00x",
                "\u2028",
                "<script>",
                "日本語",
                "\u007f\u0080\u00ff");
        for (String s : samples) {
            StringBuilder theirs = new StringBuilder();
            Json.appendJsString(theirs, s);
            assertThat(js(s))
                    .as("escaping of %s", s.codePoints().boxed().toList())
                    .isEqualTo(theirs.toString());
        }
    }

    @Test
    void theHashIsTheFakesForTheSameFields() {
        AuditEntry e = new AuditEntry(
                "aud_1",
                1712345678901L,
                null,
                null,
                null,
                "op_1",
                null,
                null,
                "system",
                "agent.register",
                "success",
                null,
                null,
                null,
                null,
                null,
                null,
                ChainHash.GENESIS,
                "x");

        assertThat(ChainHash.preimage(e))
                .isEqualTo("{\"entry_id\":\"aud_1\",\"timestamp\":1712345678901,\"operator_id\":\"op_1\","
                        + "\"agent_id\":null,\"layer\":\"system\",\"action\":\"agent.register\",\"outcome\":\"success\","
                        + "\"prev_entry_hash\":\"" + "0".repeat(64) + "\"}");
        assertThat(ChainHash.entryHash(e))
                .isEqualTo(Engine.entryHash(
                        "aud_1",
                        1712345678901L,
                        "op_1",
                        null,
                        "system",
                        "agent.register",
                        "success",
                        ChainHash.GENESIS));
    }
}
