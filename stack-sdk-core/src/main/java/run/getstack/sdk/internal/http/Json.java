package run.getstack.sdk.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackMalformedResponseException;

/**
 * Internal, not for public use. The SDK's one Jackson configuration: strict RFC 8259 parsing (no comments, no
 * trailing tokens, no leading zeros, ...), unknown fields ignored, and bounded input: nesting depth
 * {@value #MAX_NESTING_DEPTH}, strings up to {@value #MAX_STRING_LENGTH} characters, numbers up to
 * {@value #MAX_NUMBER_LENGTH} characters, names up to {@value #MAX_NAME_LENGTH} characters and documents up to
 * {@value #MAX_DOCUMENT_LENGTH} bytes (the client's own {@code maxResponseBytes} is usually far lower).
 */
public final class Json {
    /** Deepest accepted nesting of arrays and objects. */
    public static final int MAX_NESTING_DEPTH = 64;

    /** Longest accepted string value, in characters. */
    public static final int MAX_STRING_LENGTH = 16 * 1024 * 1024;

    /** Longest accepted number literal, in characters. */
    public static final int MAX_NUMBER_LENGTH = 256;

    /** Longest accepted property name, in characters. */
    public static final int MAX_NAME_LENGTH = 1024;

    /** Longest accepted document, in bytes. */
    public static final long MAX_DOCUMENT_LENGTH = 256L * 1024 * 1024;

    private static final ObjectMapper MAPPER = createMapper();

    private Json() {}

    private static ObjectMapper createMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxNameLength(MAX_NAME_LENGTH)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .build())
                .streamWriteConstraints(StreamWriteConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * Returns the shared mapper. Callers must not reconfigure it.
     *
     * @return the mapper
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Creates an empty JSON object for a request body.
     *
     * @return a new object node
     */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Serialises a request body.
     *
     * @param body a JSON tree
     * @return its UTF-8 bytes
     */
    public static byte[] write(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be serialised: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses a response body. Any failure, whatever the parser throws, becomes a
     * {@link StackMalformedResponseException}; an empty document is one too.
     *
     * @param body the body bytes
     * @param httpStatus the response status, for the exception
     * @param requestId the request id, for the exception
     * @return the parsed tree, never a missing node
     * @throws StackMalformedResponseException if the body is not one valid JSON value within the limits
     */
    public static JsonNode parse(byte[] body, int httpStatus, @Nullable String requestId) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StackMalformedResponseException(
                    "response is not valid JSON: " + describe(e), httpStatus, requestId, null);
        } catch (IOException | RuntimeException e) {
            // CharConversionException (bad UTF-8/UTF-32), or anything else the parser may throw
            throw new StackMalformedResponseException(
                    "response is not valid JSON: " + e.getClass().getSimpleName(), httpStatus, requestId, null);
        }
        if (node == null || node.isMissingNode()) {
            throw new StackMalformedResponseException("response body is empty", httpStatus, requestId, null);
        }
        return node;
    }

    /**
     * Names the parser's complaint by type and position only: Jackson's own message quotes the offending token,
     * which may be part of a secret the server sent, so it is never used.
     */
    private static String describe(JsonProcessingException e) {
        com.fasterxml.jackson.core.JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return e.getClass().getSimpleName() + where;
    }
}
