package run.getstack.sdk.agent.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;
import run.getstack.sdk.agent.AccountabilityMode;
import run.getstack.sdk.agent.Agent;
import run.getstack.sdk.agent.AgentDeletion;
import run.getstack.sdk.agent.AgentRegistration;
import run.getstack.sdk.agent.AgentStatus;
import run.getstack.sdk.agent.AgentUpdate;
import run.getstack.sdk.agent.Agents;
import run.getstack.sdk.agent.CredentialAccess;
import run.getstack.sdk.agent.FlagAction;
import run.getstack.sdk.agent.KeyMode;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.paging.PageFetcher;
import run.getstack.sdk.internal.paging.Paginator;

/** Internal, not for public use. {@link Agents} over the client's transport. */
public final class DefaultAgents implements Agents {
    private final Transport transport;
    private final @Nullable String signingAgentId;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param signingAgentId the agent whose key signs this client's calls (agent key mode), or null for an API key
     */
    public DefaultAgents(Transport transport, @Nullable String signingAgentId) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.signingAgentId = signingAgentId;
    }

    @Override
    public Agent register(AgentRegistration registration) {
        Objects.requireNonNull(registration, "registration");
        ObjectNode body = Json.object().put("name", registration.name());
        putIfSet(body, "description", registration.description());
        putIfSet(body, "accountability_mode", registration.accountabilityMode());
        putIfSet(body, "on_warning", registration.onWarning());
        putIfSet(body, "on_critical", registration.onCritical());
        putIfSet(body, "credential_access", registration.credentialAccess());
        putIfSet(body, "icon_url", registration.iconUrl());
        putIfSet(body, "profile", registration.profile());
        putIfSet(body, "key_mode", registration.keyMode());
        return transport.execute(
                ApiRequest.post("/v1/agents/register", body).idempotent().build(), r -> agent(r.requireObject()));
    }

    @Override
    public PagedIterable<Agent> list() {
        return list(DEFAULT_PAGE_SIZE);
    }

    @Override
    public PagedIterable<Agent> list(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("pageSize: must be 1 to " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        return Paginator.of(token -> {
            int page = token == null ? 1 : Integer.parseInt(token);
            return transport.execute(
                    ApiRequest.get("/v1/agents")
                            .query("page", Integer.toString(page))
                            .query("limit", Integer.toString(pageSize))
                            .build(),
                    r -> agentsPage(r.requireObject(), page, pageSize));
        });
    }

    /**
     * One page of {@code GET /v1/agents}. A response without {@code page} comes from a server that does not page
     * (STACK documents none): it holds the whole list, so there is no next page.
     */
    private static PageFetcher.Page<Agent> agentsPage(JsonNode o, int page, int pageSize) {
        JsonNode arr = JsonFields.array(o, "agents");
        List<Agent> items = new ArrayList<>(arr.size());
        for (JsonNode a : arr) {
            if (!a.isObject()) {
                throw new ResponseShapeException("field 'agents' has a non-object element");
            }
            items.add(agent(a));
        }
        JsonNode echoed = o.get("page");
        if (echoed == null || echoed.isNull()) {
            return PageFetcher.Page.last(items);
        }
        if (!echoed.isIntegralNumber() || echoed.asLong() != page) {
            throw new ResponseShapeException("field 'page' does not echo the page asked for");
        }
        if (items.size() > pageSize) {
            throw new ResponseShapeException("field 'agents' holds more than the page size asked for");
        }
        boolean more = o.has("has_more") ? JsonFields.bool(o, "has_more") : items.size() == pageSize;
        return new PageFetcher.Page<>(items, more ? Integer.toString(page + 1) : null);
    }

    @Override
    public Agent get(String agentId) {
        Ids.require("agentId", agentId);
        return transport.execute(ApiRequest.get("/v1/agents/" + agentId).build(), r -> agent(r.requireObject()));
    }

    @Override
    public Agent update(String agentId, AgentUpdate update) {
        Ids.require("agentId", agentId);
        Objects.requireNonNull(update, "update");
        if (update.isEmpty()) {
            throw new IllegalArgumentException("update: sets no field");
        }
        ObjectNode body = Json.object();
        putIfSet(body, "name", update.name());
        putIfSet(body, "description", update.description());
        putIfSet(body, "status", update.status());
        putIfSet(body, "accountability_mode", update.accountabilityMode());
        putIfSet(body, "on_warning", update.onWarning());
        putIfSet(body, "on_critical", update.onCritical());
        putIfSet(body, "credential_access", update.credentialAccess());
        putIfSet(body, "icon_url", update.iconUrl());
        return transport.execute(
                ApiRequest.builder("PATCH", "/v1/agents/" + agentId).body(body).build(), r -> agent(r.requireObject()));
    }

    @Override
    public AgentDeletion delete(String agentId) {
        Ids.require("agentId", agentId);
        return transport.execute(ApiRequest.delete("/v1/agents/" + agentId).build(), r -> {
            JsonNode o = r.requireObject();
            long count = JsonFields.optInteger(o, "revoked_count", 0);
            if (count < 0) {
                throw new ResponseShapeException("field 'revoked_count' is negative");
            }
            return new AgentDeletion(Ids.fromServer("id", JsonFields.text(o, "id")), count);
        });
    }

    @Override
    public Agent unblock(String agentId) {
        return unblock(agentId, Json.object());
    }

    @Override
    public Agent unblock(String agentId, run.getstack.sdk.approval.GovernanceApproval approval) {
        return unblock(
                agentId,
                Json.object()
                        .put(
                                "governance_approval_id",
                                Objects.requireNonNull(approval, "approval").id()));
    }

    private Agent unblock(String agentId, com.fasterxml.jackson.databind.node.ObjectNode body) {
        Ids.require("agentId", agentId);
        if (agentId.equals(signingAgentId)) {
            throw new IllegalStateException(
                    "agentId: an agent cannot unblock itself; an operator (or a person approving) must do it");
        }
        return transport.execute(
                ApiRequest.post("/v1/agents/" + agentId + "/unblock", body)
                        .idempotent()
                        .build(),
                r -> agent(r.requireObject()));
    }

    /**
     * Parses an agent object.
     *
     * @param o the object
     * @return the agent
     */
    static Agent agent(JsonNode o) {
        JsonNode jwk = o.get("public_key_jwk");
        return new Agent(
                Ids.fromServer("id", JsonFields.text(o, "id")),
                JsonFields.text(o, "operator_id"),
                JsonFields.text(o, "name"),
                JsonFields.optText(o, "description"),
                JsonFields.typed(o, "status", AgentStatus::of),
                JsonFields.typed(o, "accountability_mode", AccountabilityMode::of),
                JsonFields.typed(o, "on_warning", FlagAction::of),
                JsonFields.typed(o, "on_critical", FlagAction::of),
                JsonFields.typed(o, "credential_access", CredentialAccess::of),
                JsonFields.optTyped(o, "key_mode", KeyMode::of),
                JsonFields.optText(o, "icon_url"),
                o.has("passport_blocked") && JsonFields.bool(o, "passport_blocked"),
                JsonFields.optTextList(o, "allowed_connections"),
                jwk != null && jwk.isObject(),
                JsonFields.instant(o, "created_at"));
    }

    private static void putIfSet(ObjectNode body, String field, @Nullable Object value) {
        if (value != null) {
            body.put(field, value.toString());
        }
    }
}
