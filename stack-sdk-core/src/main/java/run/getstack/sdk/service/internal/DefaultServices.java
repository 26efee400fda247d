package run.getstack.sdk.service.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.paging.PageFetcher;
import run.getstack.sdk.internal.paging.Paginator;
import run.getstack.sdk.service.CatalogService;
import run.getstack.sdk.service.ConnectRequest;
import run.getstack.sdk.service.Disconnection;
import run.getstack.sdk.service.Grant;
import run.getstack.sdk.service.GrantConstraint;
import run.getstack.sdk.service.GrantRequest;
import run.getstack.sdk.service.ServiceConnection;
import run.getstack.sdk.service.Services;

/** Internal, not for public use. {@link Services} over the client's transport. */
public final class DefaultServices implements Services {
    private final Transport transport;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     */
    public DefaultServices(Transport transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
    }

    @Override
    public PagedIterable<CatalogService> catalog() {
        return single(
                "/v1/services",
                "services",
                o -> new CatalogService(
                        JsonFields.text(o, "id"),
                        JsonFields.text(o, "provider"),
                        JsonFields.text(o, "name"),
                        JsonFields.text(o, "auth_type"),
                        JsonFields.optTextList(o, "fields")));
    }

    @Override
    public PagedIterable<ServiceConnection> connected() {
        return single("/v1/services/connected", "connections", DefaultServices::connection);
    }

    private <T> PagedIterable<T> single(String path, String field, Function<JsonNode, T> parse) {
        return Paginator.of(token -> transport.execute(ApiRequest.get(path).build(), r -> {
            JsonNode arr = JsonFields.array(r.requireObject(), field);
            List<T> out = new ArrayList<>(arr.size());
            for (JsonNode e : arr) {
                if (!e.isObject()) {
                    throw new ResponseShapeException("field '" + field + "' has a non-object element");
                }
                out.add(parse.apply(e));
            }
            return PageFetcher.Page.last(out);
        }));
    }

    @Override
    public ServiceConnection connect(ConnectRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = Json.object().put("service_id", request.serviceId());
        body.set("scopes", strings(request.scopes()));
        String redirect = request.redirectUri();
        if (redirect != null) {
            body.put("redirect_uri", redirect);
        }
        Secret token = request.oauthToken();
        if (token != null) {
            body.put("oauth_token", token.revealPlaintext());
        }
        return transport.execute(
                ApiRequest.post("/v1/services/connect", body).idempotent().build(), r -> connection(r.requireObject()));
    }

    @Override
    public Disconnection disconnect(String connectionId) {
        Ids.require("connectionId", connectionId);
        return transport.execute(
                ApiRequest.delete("/v1/services/connections/" + connectionId).build(), r -> {
                    JsonNode o = r.requireObject();
                    return new Disconnection(
                            Ids.fromServer("id", JsonFields.text(o, "id")),
                            JsonFields.optInteger(o, "revoked_count", 0));
                });
    }

    @Override
    public Grant grant(String agentId, GrantRequest request) {
        return sendGrant(agentId, request, null);
    }

    @Override
    public Grant grant(String agentId, GrantRequest request, run.getstack.sdk.approval.GovernanceApproval approval) {
        return sendGrant(
                agentId, request, Objects.requireNonNull(approval, "approval").id());
    }

    private Grant sendGrant(String agentId, GrantRequest request, @Nullable String governanceApprovalId) {
        Ids.require("agentId", agentId);
        Objects.requireNonNull(request, "request");
        ObjectNode body = Json.object().put("service_connection_id", request.serviceConnectionId());
        body.set("scopes", strings(request.scopes()));
        if (!request.constraints().isEmpty()) {
            ArrayNode cs = body.putArray("constraints");
            for (GrantConstraint c : request.constraints()) {
                ObjectNode co = cs.addObject().put("path", c.path()).put("op", c.op());
                if (c.op().equals("in") || c.op().equals("not_in")) {
                    co.set("value", strings(c.values()));
                } else {
                    co.put("value", c.values().get(0));
                }
            }
        }
        if (governanceApprovalId != null) {
            body.put("governance_approval_id", governanceApprovalId);
        }
        return transport.execute(
                ApiRequest.post("/v1/agents/" + agentId + "/grants", body)
                        .idempotent()
                        .build(),
                r -> grant(r.requireObject()));
    }

    @Override
    public void revokeGrant(String agentId, String serviceConnectionId) {
        Ids.require("agentId", agentId);
        Ids.require("serviceConnectionId", serviceConnectionId);
        transport.execute(ApiRequest.delete("/v1/agents/" + agentId + "/grants/" + serviceConnectionId)
                .build());
    }

    private static ServiceConnection connection(JsonNode o) {
        return new ServiceConnection(
                Ids.fromServer("id", JsonFields.text(o, "id")),
                JsonFields.text(o, "service_id"),
                JsonFields.text(o, "provider"),
                JsonFields.optTextList(o, "scopes"),
                JsonFields.text(o, "status"),
                JsonFields.instant(o, "created_at"));
    }

    private static Grant grant(JsonNode o) {
        List<GrantConstraint> constraints = new ArrayList<>();
        JsonNode cs = o.get("constraints");
        if (cs != null && cs.isArray()) {
            for (JsonNode c : cs) {
                JsonNode v = c.get("value");
                List<String> values = new ArrayList<>();
                if (v != null && v.isArray()) {
                    v.forEach(x -> values.add(x.asText()));
                } else if (v != null && v.isValueNode()) {
                    values.add(v.asText());
                }
                try {
                    constraints.add(new GrantConstraint(JsonFields.text(c, "path"), JsonFields.text(c, "op"), values));
                } catch (IllegalArgumentException e) {
                    throw new ResponseShapeException("field 'constraints' has an element the SDK cannot read");
                }
            }
        }
        return new Grant(
                JsonFields.text(o, "agent_id"),
                JsonFields.text(o, "service_connection_id"),
                JsonFields.text(o, "provider"),
                JsonFields.optTextList(o, "scopes"),
                constraints,
                JsonFields.instant(o, "created_at"));
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
