package run.getstack.sdk.security;

import run.getstack.sdk.StackException;

/**
 * Hears what a {@link SecurityEventWatcher} finds. Called on the client's scheduler thread, one call at a time per
 * watcher; an exception it throws is logged and the watcher goes on.
 */
@FunctionalInterface
public interface SecurityEventListener {
    /**
     * A new event, oldest first within a poll.
     *
     * @param event the event
     */
    void onEvent(SecurityEvent event);

    /**
     * A poll failed; the watcher tries again after its interval. Default: nothing.
     *
     * @param error the failure
     */
    default void onError(StackException error) {}

    /**
     * More new events arrived between two polls than {@link SecurityEventWatch#maxEventsPerPoll()}: the newest
     * ones were delivered and older ones skipped. List them with {@link SecurityEvents#list(SecurityEventQuery)}.
     * Default: nothing.
     *
     * @param delivered how many were delivered in that poll
     */
    default void onGap(int delivered) {}
}
