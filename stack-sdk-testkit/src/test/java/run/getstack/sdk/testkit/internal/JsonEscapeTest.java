package run.getstack.sdk.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonEscapeTest {
    private static String js(String s) {
        StringBuilder sb = new StringBuilder();
        Json.appendJsString(sb, s);
        return sb.toString();
    }

    @Test
    void escapesLikeEcmaScriptJsonStringify() {
        assertThat(js("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(js("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(js("\u0001\u001f")).isEqualTo("\"\\u0001\\u001f\"");
        assertThat(js("/é\u2028")).isEqualTo("\"/é\u2028\"");
        assertThat(js("\ud83d\ude00")).isEqualTo("\"\ud83d\ude00\"");
        assertThat(js("x\ud800y")).isEqualTo("\"x\\ud800y\"");
        assertThat(js("\udc00")).isEqualTo("\"\\udc00\"");
        assertThat(js(null)).isEqualTo("null");
    }

    @Test
    void entryHashUsesNullForAMissingAgent() {
        String withNull = Engine.entryHash("aud_1", 1L, "op_1", null, "system", "a.b", "success", Engine.GENESIS);
        String withString = Engine.entryHash("aud_1", 1L, "op_1", "null", "system", "a.b", "success", Engine.GENESIS);
        assertThat(withNull).isNotEqualTo(withString).matches("[0-9a-f]{64}");
    }
}
