package run.getstack.sdk.auditlog.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditEntryListener;
import run.getstack.sdk.auditlog.AuditExport;
import run.getstack.sdk.auditlog.AuditExportRequest;
import run.getstack.sdk.auditlog.AuditFollower;
import run.getstack.sdk.auditlog.AuditLog;
import run.getstack.sdk.auditlog.AuditQuery;
import run.getstack.sdk.auditlog.AuditQueryResult;
import run.getstack.sdk.auditlog.AuditTail;
import run.getstack.sdk.auditlog.AuditTailOptions;
import run.getstack.sdk.auditlog.ChainVerification;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/** Internal, not for public use. {@link AuditLog} over the client's transport. */
public final class DefaultAuditLog implements AuditLog {
    private final Transport transport;
    private final TaskScheduler scheduler;
    private final Sleeper sleeper;

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param scheduler the client's scheduler, for followers
     * @param sleeper how the blocking tail waits between polls
     */
    public DefaultAuditLog(Transport transport, TaskScheduler scheduler, Sleeper sleeper) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public AuditQueryResult query(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        return transport.execute(
                ApiRequest.get("/v1/audit")
                        .query("limit", Integer.toString(query.limit()))
                        .query("since", Long.toString(query.sinceMillis()))
                        .query("agent_id", query.agentId())
                        .query("passport_jti", query.passportJti())
                        .build(),
                r -> {
                    JsonNode o = r.requireObject();
                    JsonNode arr = JsonFields.array(o, "entries");
                    if (arr.size() > query.limit()) {
                        throw new ResponseShapeException("field 'entries' holds more than the limit asked for");
                    }
                    List<AuditEntry> entries = new ArrayList<>(arr.size());
                    for (JsonNode e : arr) {
                        entries.add(EntryCodec.fromJson(e));
                    }
                    long max = JsonFields.optInteger(o, "max_timestamp", query.sinceMillis());
                    for (AuditEntry e : entries) {
                        max = Math.max(max, e.timestampMillis());
                    }
                    return new AuditQueryResult(entries, max);
                });
    }

    @Override
    public AuditTail tail(AuditTailOptions options) {
        return new TailIterator(this, Objects.requireNonNull(options, "options"), sleeper);
    }

    @Override
    public AuditFollower follow(AuditTailOptions options, AuditEntryListener listener) {
        Follower f = new Follower(this, Objects.requireNonNull(options, "options"), listener, scheduler);
        f.start();
        return f;
    }

    @Override
    public AuditExport export(AuditExportRequest request) {
        return new ExportReader(transport, Objects.requireNonNull(request, "request"));
    }

    @Override
    public ChainVerification verifyChain() {
        return transport.execute(ApiRequest.get("/v1/audit/verify-chain").build(), r -> {
            JsonNode o = r.requireObject();
            boolean valid = JsonFields.bool(o, "valid");
            long checked = JsonFields.integer(o, "checked");
            if (checked < 0) {
                throw new ResponseShapeException("field 'checked' is negative");
            }
            if (valid) {
                return new ChainVerification(true, checked, null, null);
            }
            return new ChainVerification(
                    false,
                    checked,
                    JsonFields.text(o, "first_bad_entry_id"),
                    ChainVerification.Reason.fromWire(JsonFields.text(o, "reason")));
        });
    }
}
