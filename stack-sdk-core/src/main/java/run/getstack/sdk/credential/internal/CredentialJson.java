package run.getstack.sdk.credential.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.Secret;
import run.getstack.sdk.credential.CredentialValue;
import run.getstack.sdk.internal.http.ResponseShapeException;

/** Internal, not for public use. Reads a credential value (wire protocol §4.2, §5.1) into {@link Secret}s. */
public final class CredentialJson {
    /** Most fields accepted in a multi-field credential. */
    static final int MAX_FIELDS = 64;

    private CredentialJson() {}

    /**
     * Reads exactly one of {@code credential} (string) and {@code credentials} (object of strings).
     *
     * @param body the response object
     * @return the value; the messages of shape errors never contain a value
     */
    public static CredentialValue read(JsonNode body) {
        JsonNode single = body.get("credential");
        JsonNode multi = body.get("credentials");
        boolean hasSingle = single != null && !single.isNull();
        boolean hasMulti = multi != null && !multi.isNull();
        if (hasSingle == hasMulti) {
            throw new ResponseShapeException("expected exactly one of 'credential' and 'credentials'");
        }
        if (hasSingle) {
            if (!single.isTextual()
                    || single.asText().isEmpty()
                    || single.asText().length() > Secret.MAX_LENGTH) {
                throw new ResponseShapeException(
                        "field 'credential' is not a non-empty string of at most " + Secret.MAX_LENGTH + " characters");
            }
            return CredentialValue.single(Secret.of(single.asText()));
        }
        if (!multi.isObject() || multi.isEmpty() || multi.size() > MAX_FIELDS) {
            throw new ResponseShapeException(
                    "field 'credentials' is not an object of 1 to " + MAX_FIELDS + " string fields");
        }
        Map<String, Secret> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : multi.properties()) {
            JsonNode v = f.getValue();
            if (f.getKey().isEmpty() || f.getKey().length() > 128) {
                fields.values().forEach(Secret::close);
                throw new ResponseShapeException("a field name of 'credentials' is empty or longer than 128");
            }
            if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > Secret.MAX_LENGTH) {
                fields.values().forEach(Secret::close);
                throw new ResponseShapeException("field 'credentials' has a member that is not a non-empty string");
            }
            fields.put(f.getKey(), Secret.of(v.asText()));
        }
        return CredentialValue.multiField(fields);
    }
}
