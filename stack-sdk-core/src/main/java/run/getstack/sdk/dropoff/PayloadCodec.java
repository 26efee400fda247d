package run.getstack.sdk.dropoff;

import run.getstack.sdk.dropoff.internal.JacksonPayloadCodec;

/**
 * Maps a drop-off's package between the caller's own Java types and JSON text. The {@linkplain #defaults() built-in
 * codec} handles records, beans, maps, lists, strings, numbers and booleans and ignores JSON members the target type
 * does not declare; give {@link Dropoffs#withCodec(PayloadCodec)} your own (for example over your application's JSON
 * mapper, with the modules it uses) for anything else. Implementations must be thread-safe.
 */
public interface PayloadCodec {
    /**
     * Encodes a value as one JSON value (object, array, string, number, boolean or null).
     *
     * @param value the value, or null for JSON null
     * @return its JSON text
     * @throws IllegalArgumentException if the value cannot be written as JSON
     */
    String encode(@org.jspecify.annotations.Nullable Object value);

    /**
     * Decodes JSON text into a value of the given type.
     *
     * @param json one JSON value
     * @param type the type to read it as
     * @param <T> the type
     * @return the value (null only for JSON null)
     * @throws IllegalArgumentException if the JSON does not fit the type; the message names where, never the value
     */
    <T> T decode(String json, Class<T> type);

    /**
     * Returns the built-in codec (shared, thread-safe).
     *
     * @return the codec
     */
    static PayloadCodec defaults() {
        return JacksonPayloadCodec.INSTANCE;
    }
}
