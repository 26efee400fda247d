package run.getstack.sdk.security;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;

/**
 * STACK's security events ({@code client.securityEvents()}). STACK serves them to operator keys only: a member key
 * or an agent gets {@link run.getstack.sdk.StackPermissionException}. Thread-safe.
 */
public interface SecurityEvents {
    /** The longest resolution note: {@value} characters. */
    int MAX_NOTE_LENGTH = 1000;

    /**
     * Lists events, newest first, lazily, page by page ({@code GET /v1/security-events?page=&limit=}). The server
     * pages by number over a list that changes: an event raised during the iteration can show up twice, and one
     * resolved during an iteration of unresolved events can be skipped.
     *
     * @param query the filter and page size
     * @return the events
     */
    PagedIterable<SecurityEvent> list(SecurityEventQuery query);

    /**
     * Lists unresolved events of every agent.
     *
     * @return the events
     */
    default PagedIterable<SecurityEvent> list() {
        return list(SecurityEventQuery.unresolved());
    }

    /**
     * Reads one event ({@code GET /v1/security-events/{id}}).
     *
     * @param eventId the event
     * @return the event
     */
    SecurityEvent get(String eventId);

    /**
     * Marks an event reviewed ({@code POST /v1/security-events/{id}/resolve}); it stays on record. Idempotent.
     *
     * @param eventId the event
     * @param note why, at most {@value #MAX_NOTE_LENGTH} characters, or null
     * @return the event, resolved
     */
    SecurityEvent resolve(String eventId, @Nullable String note);

    /**
     * Follows new events on the client's scheduler and hands each to the listener, oldest first. Each poll walks
     * the list from the newest event back to the watermark (the newest event seen so far), so memory is bounded by
     * {@link SecurityEventWatch#maxEventsPerPoll()} and the ids of the events sharing the watermark's instant.
     *
     * @param options the filter, interval and caps
     * @param listener hears new events, failed polls and gaps
     * @return the running watcher; close it to stop
     */
    SecurityEventWatcher watch(SecurityEventWatch options, SecurityEventListener listener);
}
