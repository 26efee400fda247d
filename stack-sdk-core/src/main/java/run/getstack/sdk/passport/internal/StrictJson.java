package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
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
    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxStringLength(65_536)
            .maxNumberLength(64)
            .build();

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(LIMITS)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The same limits, for a streaming reader that detects duplicate members itself (see {@link #streaming}). */
    private static final JsonFactory STREAMING =
            JsonFactory.builder().streamReadConstraints(LIMITS).build();

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
            // the common case (a JWT's JSON is ASCII, non-ASCII text arrives \\u-escaped): Jackson's byte parser reads
            // it without a decoded copy
            JsonNode node;
            try {
                node = MAPPER.readTree(utf8);
            } catch (IOException e) {
                throw invalid(e);
            }
            return object(node);
        }
        String text = strictUtf8(utf8);
        if (text == null) {
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

    /**
     * Opens a streaming parser over UTF-8 JSON, with the same limits and the same strict UTF-8 as {@link
     * #parseObject(byte[])} but WITHOUT duplicate-member detection: the caller must refuse a member name it has seen
     * in the same object, at every depth, and must check that nothing follows the root value. For a reader that
     * builds no tree.
     *
     * @param utf8 the bytes
     * @return the parser, or null when the bytes are not strict UTF-8 (which {@link #parseObject(byte[])} refuses)
     * @throws IOException never in practice (the input is in memory)
     */
    public static @Nullable JsonParser streaming(byte[] utf8) throws IOException {
        // Jackson opens a parser over text in a quarter of the time it needs for one over bytes (no encoding to
        // detect, a cheaper symbol table), and ASCII turns into text by a plain copy
        String text = isPlainAscii(utf8) ? new String(utf8, StandardCharsets.ISO_8859_1) : strictUtf8(utf8);
        return text == null ? null : STREAMING.createParser(text);
    }

    private static @Nullable String strictUtf8(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Tells whether Jackson's byte parser reads these bytes as the strict decoder would: no byte has its high bit set
     * (ASCII is valid UTF-8 as it stands) and none of the first four is NUL (Jackson guesses UTF-16 or UTF-32 from
     * NULs there; a NUL or other control character further on is refused by both parsers alike). One OR over the
     * bytes, which the JIT vectorizes: this runs on every passport verification.
     */
    private static boolean isPlainAscii(byte[] bytes) {
        int any = 0;
        for (byte b : bytes) {
            any |= b;
        }
        if (any < 0) {
            return false;
        }
        for (int i = 0; i < 4 && i < bytes.length; i++) {
            if (bytes[i] == 0) {
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
