package run.getstack.sdk.internal.events;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one event hook. {@link #publish(ClientEvent)} hands the event to every subscriber on the caller's
 * thread, so a subscriber must be quick and must not block (the audit writer only enqueues). A subscriber that
 * throws is logged (its exception type only) and does not stop the others or the caller. Thread-safe.
 */
public final class ClientEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEvents.class);

    private final List<Consumer<ClientEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** Creates a hook with no subscriber. */
    public ClientEvents() {}

    /**
     * Adds a subscriber.
     *
     * @param subscriber quick, non-blocking
     * @return a handle that removes it
     */
    public AutoCloseable subscribe(Consumer<ClientEvent> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Tells every subscriber.
     *
     * @param event the event
     */
    public void publish(ClientEvent event) {
        Objects.requireNonNull(event, "event");
        for (Consumer<ClientEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.warn(
                        "an SDK event subscriber failed on {}: {}",
                        event.action(),
                        e.getClass().getName());
            }
        }
    }

    /**
     * Tells whether anyone listens (so a publisher can skip building an event nobody reads).
     *
     * @return true if there is a subscriber
     */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }
}
