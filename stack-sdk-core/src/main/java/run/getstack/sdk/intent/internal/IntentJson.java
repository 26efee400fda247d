package run.getstack.sdk.intent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.intent.IntentApproval;
import run.getstack.sdk.intent.IntentApprovalStatus;
import run.getstack.sdk.intent.IntentSimulation;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;

/** Internal, not for public use. JSON helpers of the intent resource. */
public final class IntentJson {
    private static final Pattern FINDING = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final int MAX_FINDINGS = 100;

    private IntentJson() {}

    /**
     * Quotes a string as a JSON string literal.
     *
     * @param s the string
     * @return the literal
     */
    public static String quote(String s) {
        return new TextNode(s).toString();
    }

    /**
     * Writes a caller's map (a skill's input) as a JSON object text.
     *
     * @param value maps, lists, strings, numbers, booleans and null
     * @param parameter the parameter name for the message
     * @return the JSON text
     * @throws IllegalArgumentException if it is not representable as JSON
     */
    public static String object(java.util.Map<String, ?> value, String parameter) {
        try {
            return new String(Json.write(Json.mapper().valueToTree(value)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    parameter + ": not representable as JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Parses caller JSON that must be an object.
     *
     * @param json the text
     * @param parameter the parameter name for the message
     * @return the object
     * @throws IllegalArgumentException if it is not a JSON object
     */
    public static JsonNode requireObject(String json, String parameter) {
        JsonNode n;
        try {
            n = Json.parse(json.getBytes(StandardCharsets.UTF_8), 0, null);
        } catch (StackMalformedResponseException e) {
            throw new IllegalArgumentException(parameter + ": not valid JSON");
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(parameter + ": must be a JSON object");
        }
        return n;
    }

    /**
     * Decodes an approval (wire protocol §14.2).
     *
     * @param o the object
     * @return the approval
     * @throws ResponseShapeException if it is not one
     */
    static IntentApproval approval(JsonNode o) {
        IntentApprovalStatus status = JsonFields.typed(o, "status", IntentApprovalStatus::of);
        return new IntentApproval(
                Ids.fromServer("approval_id", JsonFields.text(o, "approval_id")),
                Ids.fromServer("intent_claim_id", JsonFields.text(o, "intent_claim_id")),
                status,
                Ids.fromServer("agent_id", JsonFields.text(o, "agent_id")),
                optId(o, "passport_jti"),
                optId(o, "mission_id"),
                JsonFields.text(o, "intent_type"),
                JsonFields.text(o, "named_intent"),
                JsonFields.text(o, "target"),
                JsonFields.text(o, "action"),
                simulation(o.get("simulation")),
                o.path("block_future").asBoolean(false),
                JsonFields.instant(o, "created_at"),
                JsonFields.instant(o, "expires_at"),
                JsonFields.optInstant(o, "decided_at"),
                JsonFields.optInstant(o, "consumed_at"));
    }

    private static @Nullable String optId(JsonNode o, String field) {
        String v = JsonFields.optText(o, field);
        if (v == null) {
            return null;
        }
        Ids.fromServer(field, v);
        if (ErrorMapper.carriesKeyOrJwt(v)) {
            throw new ResponseShapeException("field '" + field + "' is not an id");
        }
        return v;
    }

    private static @Nullable IntentSimulation simulation(@Nullable JsonNode s) {
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.isObject()) {
            throw new ResponseShapeException("field 'simulation' is not an object");
        }
        JsonNode v = s.get("verdict");
        String verdict =
                v != null && v.isTextual() && FINDING.matcher(v.asText()).matches() ? v.asText() : null;
        List<String> findings = new ArrayList<>();
        JsonNode f = s.get("findings");
        if (f != null && f.isArray()) {
            for (JsonNode x : f) {
                if (findings.size() == MAX_FINDINGS) {
                    break;
                }
                if (x.isTextual() && FINDING.matcher(x.asText()).matches()) {
                    findings.add(x.asText());
                }
            }
        }
        return new IntentSimulation(verdict, findings);
    }
}
