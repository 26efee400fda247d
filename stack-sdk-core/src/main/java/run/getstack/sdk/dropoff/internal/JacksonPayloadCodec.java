package run.getstack.sdk.dropoff.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.dropoff.PayloadCodec;
import run.getstack.sdk.internal.http.Json;

/**
 * Internal, not for public use. The built-in {@link PayloadCodec}: the client's bounded JSON mapper (nesting, string
 * and document limits of {@link Json}), ignoring members the target type does not declare. Error messages name the
 * path and the type, never a value (Jackson's own messages quote the input).
 */
public final class JacksonPayloadCodec implements PayloadCodec {
    /** The shared instance. */
    public static final JacksonPayloadCodec INSTANCE = new JacksonPayloadCodec();

    private final ObjectMapper mapper =
            Json.mapper().copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JacksonPayloadCodec() {}

    @Override
    public String encode(@Nullable Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "payload: a " + (value == null ? "null" : value.getClass().getSimpleName())
                            + " cannot be written as JSON" + where(e));
        }
    }

    @Override
    public <T> T decode(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(type, "type");
        try {
            return mapper.readValue(json, type);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("payload: does not fit " + type.getSimpleName() + where(e) + " ("
                    + e.getClass().getSimpleName() + ")");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload: not valid JSON"
                    + (e.getLocation() == null
                            ? ""
                            : " at character " + e.getLocation().getCharOffset()));
        }
    }

    private static String where(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "";
        }
        return " at '" + dotted(m.getPath()) + "'";
    }

    /**
     * A Jackson reference path as a dotted path ({@code items.2.price}).
     *
     * @param path the references
     * @return the dotted path
     */
    static String dotted(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            String name = r.getFieldName();
            String part = name != null ? name : r.getIndex() >= 0 ? Integer.toString(r.getIndex()) : "?";
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(part.length() > 64 ? part.substring(0, 64) + "…" : part);
            if (sb.length() > 512) {
                break;
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "PayloadCodec.defaults()";
    }
}
