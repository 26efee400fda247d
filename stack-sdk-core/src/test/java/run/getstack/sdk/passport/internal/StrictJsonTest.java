package run.getstack.sdk.passport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictJson}: the tree reader and the streaming reader read the same bytes the same way, whichever of
 * Jackson's byte parser or the strict UTF-8 decoder reads them.
 */
class StrictJsonTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {"a": "..."} with the streaming parser; null when it refuses. */
    private static @Nullable String streamedA(byte[] json) {
        try (JsonParser p = StrictJson.streaming(json)) {
            if (p == null) {
                return null;
            }
            String a = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_STRING) {
                    a = p.getText();
                }
            }
            return a;
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void aControlCharacterAnywhereIsRefusedByBothReaders() {
        for (byte[] bad : new byte[][] {
            bytes("{\"a\":\"x\u0001\"}"),
            bytes("{\"a\":\"x\"}\u0000"),
            bytes("{\u0007\"a\":\"x\"}"),
            bytes("{\"a\":\"x\u0000\"}")
        }) {
            assertThatThrownBy(() -> StrictJson.parseObject(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThat(streamedA(bad)).isNull();
        }
    }

    @Test
    void utf16And32AreNeverGuessedFromNuls() {
        for (String charset : new String[] {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"}) {
            byte[] json = "{\"a\":\"x\"}".getBytes(java.nio.charset.Charset.forName(charset));
            assertThatThrownBy(() -> StrictJson.parseObject(json))
                    .as(charset)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(streamedA(json)).as(charset).isNull();
        }
    }

    @Test
    void deleteAndUtf8TextReadTheSameOnBothPaths() {
        byte[] del = bytes("{\"a\":\"x\u007f\"}");
        assertThat(StrictJson.parseObject(del).get("a").asText()).isEqualTo("x\u007f");
        assertThat(streamedA(del)).isEqualTo("x\u007f");
        byte[] utf8 = bytes("{\"a\":\"é\uD83D\uDE00\"}");
        assertThat(StrictJson.parseObject(utf8).get("a").asText()).isEqualTo("é\uD83D\uDE00");
        assertThat(streamedA(utf8)).isEqualTo("é\uD83D\uDE00");
    }

    @Test
    void invalidUtf8IsRefusedByBothReaders() {
        // an overlong '/', a lone continuation byte, an encoded surrogate, a truncated sequence
        for (byte[] bad : new byte[][] {
            {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82, '"', '}'}
        }) {
            assertThatThrownBy(() -> StrictJson.parseObject(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThat(streamedA(bad)).isNull();
        }
    }
}
