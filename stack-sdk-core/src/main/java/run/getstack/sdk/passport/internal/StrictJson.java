package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. The one strict JSON reader of the passport layer: UTF-8 only (invalid sequences
 * rejected, no encoding detection), duplicate object members rejected (a JSON parser differential is a classic JWT
 * bypass), trailing content rejected, nesting and string length bounded.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(65_536)
                            .maxNumberLength(64)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {}

    /**
     * Parses UTF-8 bytes that must hold one JSON object.
     *
     * @param utf8 the bytes
     * @return the object
     * @throws IllegalArgumentException if the bytes are not strict UTF-8, not JSON, not an object, or contain a
     *     duplicate member; the message never quotes the input
     */
    public static ObjectNode parseObject(byte[] utf8) {
        if (isPlainAscii(utf8)) {
            // the common case (a JWT's JSON is ASCII, non-ASCII text arrives \\u-escaped): visible ASCII and JSON
            // whitespace are valid UTF-8 as they are, and hold no NUL that could make Jackson guess UTF-16/32, so
            // Jackson's byte parser reads them without a decoded copy
            JsonNode node;
            try {
                node = MAPPER.readTree(utf8);
            } catch (IOException e) {
                throw invalid(e);
            }
            return object(node);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not valid UTF-8");
        }
        return parseObject(text);
    }

    /**
     * Parses text that must hold one JSON object.
     *
     * @param text the JSON text
     * @return the object
     * @throws IllegalArgumentException if the text is not JSON, not an object, or contains a duplicate member; the
     *     message never quotes the input
     */
    public static ObjectNode parseObject(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (IOException e) {
            throw invalid(e);
        }
        return object(node);
    }

    private static boolean isPlainAscii(byte[] bytes) {
        for (byte b : bytes) {
            if ((b < 0x20 || b > 0x7e) && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(IOException e) {
        String what = e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
                ? "duplicate member"
                : "invalid JSON";
        return new IllegalArgumentException(what);
    }

    private static ObjectNode object(@Nullable JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (ObjectNode) node;
    }
}
