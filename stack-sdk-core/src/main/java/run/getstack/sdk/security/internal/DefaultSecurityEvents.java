package run.getstack.sdk.security.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.Ids;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.paging.Paginator;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.security.SecurityEvent;
import run.getstack.sdk.security.SecurityEventListener;
import run.getstack.sdk.security.SecurityEventQuery;
import run.getstack.sdk.security.SecurityEventWatch;
import run.getstack.sdk.security.SecurityEventWatcher;
import run.getstack.sdk.security.SecurityEvents;
import run.getstack.sdk.security.Severity;

/** Internal, not for public use. {@link SecurityEvents} over the client's transport. */
public final class DefaultSecurityEvents implements SecurityEvents {
    private final Transport transport;
    private final TaskScheduler scheduler;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param scheduler the client's scheduler, for watchers
     */
    public DefaultSecurityEvents(Transport transport, TaskScheduler scheduler) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public PagedIterable<SecurityEvent> list(SecurityEventQuery query) {
        Objects.requireNonNull(query, "query");
        return Paginator.byPageNumber(query.pageSize(), page -> page(query, page));
    }

    /**
     * Fetches one page.
     *
     * @param query the filter
     * @param page 1-based
     * @return its events, newest first
     */
    List<SecurityEvent> page(SecurityEventQuery query, int page) {
        return transport.execute(
                ApiRequest.get("/v1/security-events")
                        .query("agent_id", query.agentId())
                        .query("include_resolved", query.includeResolved() ? "true" : null)
                        .query("page", Integer.toString(page))
                        .query("limit", Integer.toString(query.pageSize()))
                        .build(),
                r -> {
                    JsonNode arr = JsonFields.array(r.requireObject(), "events");
                    if (arr.size() > query.pageSize()) {
                        throw new ResponseShapeException("field 'events' holds more than the page size asked for");
                    }
                    List<SecurityEvent> out = new ArrayList<>(arr.size());
                    for (JsonNode e : arr) {
                        out.add(event(e));
                    }
                    return out;
                });
    }

    @Override
    public SecurityEvent get(String eventId) {
        Ids.require("eventId", eventId);
        return transport.execute(
                ApiRequest.get("/v1/security-events/" + eventId).build(), r -> event(r.requireObject()));
    }

    @Override
    public SecurityEvent resolve(String eventId, @Nullable String note) {
        Ids.require("eventId", eventId);
        ObjectNode body = Json.object();
        if (note != null) {
            if (note.length() > MAX_NOTE_LENGTH) {
                throw new IllegalArgumentException(
                        "note: at most " + MAX_NOTE_LENGTH + " characters, was " + note.length());
            }
            body.put("note", note);
        }
        return transport.execute(
                ApiRequest.post("/v1/security-events/" + eventId + "/resolve", body)
                        .idempotent()
                        .build(),
                r -> event(r.requireObject()));
    }

    @Override
    public SecurityEventWatcher watch(SecurityEventWatch options, SecurityEventListener listener) {
        EventWatcher w = new EventWatcher(this, scheduler, options, listener);
        w.start();
        return w;
    }

    /**
     * Parses an event object.
     *
     * @param o the object
     * @return the event
     */
    static SecurityEvent event(JsonNode o) {
        if (!o.isObject()) {
            throw new ResponseShapeException("a security event is not an object");
        }
        JsonNode metadata = o.get("metadata");
        String metadataJson;
        if (metadata == null || metadata.isNull()) {
            metadataJson = "{}";
        } else if (metadata.isObject()) {
            metadataJson = new String(Json.write(metadata), java.nio.charset.StandardCharsets.UTF_8);
        } else {
            throw new ResponseShapeException("field 'metadata' is not an object");
        }
        return new SecurityEvent(
                Ids.fromServer("id", JsonFields.text(o, "id")),
                JsonFields.text(o, "operator_id"),
                JsonFields.optText(o, "agent_id"),
                JsonFields.optText(o, "passport_jti"),
                JsonFields.text(o, "signal_type"),
                JsonFields.typed(o, "severity", Severity::of),
                JsonFields.text(o, "message"),
                metadataJson,
                JsonFields.bool(o, "resolved"),
                JsonFields.optInstant(o, "resolved_at"),
                JsonFields.instant(o, "created_at"),
                JsonFields.optText(o, "action"),
                JsonFields.optText(o, "resolution_note"));
    }
}
