package run.getstack.sdk.dropoff.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.credential.internal.CapabilityContext;
import run.getstack.sdk.dropoff.Dropoff;
import run.getstack.sdk.dropoff.DropoffRequest;
import run.getstack.sdk.dropoff.DropoffStatus;
import run.getstack.sdk.dropoff.Dropoffs;
import run.getstack.sdk.dropoff.PayloadCodec;
import run.getstack.sdk.dropoff.StackDropoffPayloadException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.passport.Passport;

/**
 * Internal, not for public use. {@link Dropoffs} over {@code /v1/dropoffs} (wire protocol §10.1). Deposit and collect
 * present the client's own passport in {@code X-Passport-Token} and name the client's agent and current mission in
 * the body; a deposit carries an {@code Idempotency-Key} (so the transport may retry it), a collect does not (STACK
 * deletes the package on the first collect that reaches it, and a replayed collect would need the package kept).
 */
public final class DefaultDropoffs implements Dropoffs {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final CapabilityContext ctx;
    private final @Nullable String agentId;
    private final Supplier<@Nullable String> missionId;
    private final PayloadCodec codec;

    /**
     * Creates the resource.
     *
     * @param ctx the shared capability context (transport, the agent's passport, events)
     * @param agentId the client's agent, or null for an operator client
     * @param missionId the client's current mission id, or null when there is none (must not start one)
     */
    public DefaultDropoffs(CapabilityContext ctx, @Nullable String agentId, Supplier<@Nullable String> missionId) {
        this(ctx, agentId, missionId, PayloadCodec.defaults());
    }

    private DefaultDropoffs(
            CapabilityContext ctx, @Nullable String agentId, Supplier<@Nullable String> missionId, PayloadCodec codec) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.agentId = agentId;
        this.missionId = Objects.requireNonNull(missionId, "missionId");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public Dropoffs withCodec(PayloadCodec codec) {
        return new DefaultDropoffs(ctx, agentId, missionId, Objects.requireNonNull(codec, "codec"));
    }

    @Override
    public PayloadCodec codec() {
        return codec;
    }

    @Override
    public Dropoff create(DropoffRequest request) {
        Objects.requireNonNull(request, "request");
        String from = request.fromAgent().orElse(agentId);
        if (from == null) {
            throw new IllegalArgumentException(
                    "fromAgent: required (DropoffRequest.Builder.from) when the client has no agentId");
        }
        if (request.toAgents().contains(from)) {
            throw new IllegalArgumentException("toAgents: must not name the sender " + from);
        }
        ObjectNode body = Json.object();
        body.put("from_agent", from);
        if (request.toAgents().size() == 1) {
            body.put("to_agent", request.toAgents().get(0));
        } else {
            ArrayNode to = body.putArray("to_agents");
            request.toAgents().forEach(to::add);
        }
        body.set("schema", parse(request.schemaJson(), "schema"));
        body.put("ttl_seconds", request.ttl().toSeconds());
        ApiRequest api = ApiRequest.post("/v1/dropoffs", body).idempotent().build();
        Dropoff d = ctx.transport().execute(api, r -> decode(r.requireObject()));
        publish("dropoff.create", ClientEvent.Outcome.SUCCESS, null, d.id(), null);
        return d;
    }

    @Override
    public Dropoff deposit(String dropoffId, @Nullable Object payload) {
        checkId(dropoffId);
        String json = codec.encode(payload);
        return depositJson(dropoffId, Objects.requireNonNull(json, "the codec returned null"));
    }

    @Override
    public Dropoff depositJson(String dropoffId, String json) {
        String id = checkId(dropoffId);
        Objects.requireNonNull(json, "payload");
        JsonNode payload = payload(json);
        String agent = requireAgent("deposit");
        Passport p = ctx.currentPassport();
        ObjectNode body = Json.object();
        body.put("agent_id", agent);
        body.set("payload", payload);
        String mission = missionId.get();
        if (mission != null) {
            body.put("mission_id", mission);
        }
        ApiRequest api = ApiRequest.post("/v1/dropoffs/" + id + "/deposit", body)
                .passportToken(p.token())
                .idempotent()
                .build();
        try {
            Dropoff d = ctx.transport().execute(api, r -> decode(r.requireObject()));
            publish("dropoff.deposit", ClientEvent.Outcome.SUCCESS, p.jti(), id, null);
            return d;
        } catch (StackException e) {
            publish("dropoff.deposit", ClientEvent.Outcome.FAILURE, p.jti(), id, e.errorCode());
            throw ctx.refusal(e, p, "drop-off deposit");
        }
    }

    @Override
    public <T> T collect(String dropoffId, Class<T> type) {
        Objects.requireNonNull(type, "type");
        String json = collectJson(dropoffId);
        try {
            return codec.decode(json, type);
        } catch (RuntimeException e) {
            throw new StackDropoffPayloadException(
                    "drop-off " + dropoffId + ": the collected package could not be read as " + type.getSimpleName()
                            + " (" + e.getMessage() + "); it is kept in rawJson()",
                    dropoffId,
                    json,
                    e);
        }
    }

    @Override
    public String collectJson(String dropoffId) {
        String id = checkId(dropoffId);
        String agent = requireAgent("collect");
        Passport p = ctx.currentPassport();
        ObjectNode body = Json.object();
        body.put("agent_id", agent);
        String mission = missionId.get();
        if (mission != null) {
            body.put("mission_id", mission);
        }
        // no idempotency key: a collect is never resent (wire protocol §10.1)
        ApiRequest api = ApiRequest.post("/v1/dropoffs/" + id + "/collect", body)
                .passportToken(p.token())
                .build();
        try {
            String json = ctx.transport().execute(api, r -> {
                JsonNode o = r.requireObject();
                JsonNode payload = o.get("payload");
                if (payload == null) {
                    throw new ResponseShapeException("field 'payload' is missing");
                }
                String raw = new String(Json.write(payload), StandardCharsets.UTF_8);
                try {
                    Dropoff d = decode(o);
                    if (!d.id().equals(id) || d.status() != DropoffStatus.COLLECTED) {
                        throw new ResponseShapeException("a collect answered for another drop-off or state");
                    }
                } catch (ResponseShapeException e) {
                    // STACK deleted the package when it answered: a malformed answer must not drop the only copy
                    throw new StackDropoffPayloadException(
                            "drop-off " + id + ": STACK handed over the package but its answer is malformed ("
                                    + e.getMessage() + "); the package is kept in rawJson()",
                            id,
                            raw,
                            e);
                }
                return raw;
            });
            publish("dropoff.collect", ClientEvent.Outcome.SUCCESS, p.jti(), id, null);
            return json;
        } catch (StackException e) {
            publish("dropoff.collect", ClientEvent.Outcome.FAILURE, p.jti(), id, e.errorCode());
            throw ctx.refusal(e, p, "drop-off collect");
        }
    }

    @Override
    public Dropoff status(String dropoffId) {
        String id = checkId(dropoffId);
        return ctx.transport().execute(ApiRequest.get("/v1/dropoffs/" + id).build(), r -> decode(r.requireObject()));
    }

    @Override
    public Dropoff expire(String dropoffId) {
        String id = checkId(dropoffId);
        ApiRequest api = ApiRequest.post("/v1/dropoffs/" + id + "/expire", Json.object())
                .idempotent()
                .build();
        Dropoff d = ctx.transport().execute(api, r -> decode(r.requireObject()));
        publish("dropoff.expire", ClientEvent.Outcome.SUCCESS, null, id, null);
        return d;
    }

    // ------------------------------------------------------------------ helpers

    private String requireAgent(String what) {
        String a = agentId;
        if (a == null) {
            throw new StackConfigurationException(
                    "agentId: required for a drop-off " + what + " (it is made under the agent's own passport)");
        }
        return a;
    }

    private static String checkId(String dropoffId) {
        Objects.requireNonNull(dropoffId, "dropoffId");
        if (!ID.matcher(dropoffId).matches()) {
            throw new IllegalArgumentException("dropoffId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return dropoffId;
    }

    private static JsonNode payload(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload: " + bytes.length + " bytes is larger than the "
                    + MAX_PAYLOAD_BYTES + " a drop-off takes");
        }
        JsonNode n = parse(json, "payload");
        if (Json.write(n).length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload: larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        return n;
    }

    private static JsonNode parse(String json, String parameter) {
        try {
            return Json.parse(json.getBytes(StandardCharsets.UTF_8), 0, null);
        } catch (StackMalformedResponseException e) {
            throw new IllegalArgumentException(parameter + ": not valid JSON");
        }
    }

    /**
     * Reads a Dropoff object (wire protocol §10.1).
     *
     * @param o the response object
     * @return the drop-off
     */
    static Dropoff decode(JsonNode o) {
        String id = checked(JsonFields.text(o, "id"), "id");
        DropoffStatus status = JsonFields.typed(o, "status", DropoffStatus::fromWire);
        String from = checked(JsonFields.text(o, "from_agent"), "from_agent");
        List<String> to = new ArrayList<>();
        for (String t : JsonFields.optTextList(o, "to_agents")) {
            to.add(checked(t, "to_agents"));
        }
        if (to.isEmpty()) {
            to.add(checked(JsonFields.text(o, "to_agent"), "to_agent"));
        }
        String by = JsonFields.optText(o, "collected_by");
        String mission = JsonFields.optText(o, "mission_id");
        return new Dropoff(
                id,
                status,
                from,
                to,
                JsonFields.instant(o, "created_at"),
                JsonFields.instant(o, "expires_at"),
                JsonFields.optInstant(o, "deposited_at"),
                by == null ? null : checked(by, "collected_by"),
                JsonFields.optInstant(o, "collected_at"),
                mission == null ? null : checked(mission, "mission_id"));
    }

    private static String checked(String value, String field) {
        if (!ID.matcher(value).matches()) {
            throw new ResponseShapeException("field '" + field + "' is not an id");
        }
        return value;
    }

    private void publish(
            String action,
            ClientEvent.Outcome outcome,
            @Nullable String jti,
            String dropoffId,
            @Nullable String errorCode) {
        ctx.publish(
                action,
                outcome,
                jti,
                null,
                errorCode == null
                        ? Map.of("dropoff_id", dropoffId)
                        : Map.of("dropoff_id", dropoffId, "error_code", errorCode));
    }

    @Override
    public String toString() {
        return "Dropoffs{agent=" + agentId + ", codec=" + codec + "}";
    }
}
