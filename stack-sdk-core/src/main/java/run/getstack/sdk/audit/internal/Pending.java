package run.getstack.sdk.audit.internal;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.audit.AuditEvent;

/**
 * Internal, not for public use. An event between {@code record()} and the spool.
 *
 * @param event the event
 * @param timestamp its timestamp (ms)
 * @param durable completed once the event is forced to disk, when the caller waits for that; else null
 */
record Pending(AuditEvent event, long timestamp, @Nullable CompletableFuture<Void> durable) {}
