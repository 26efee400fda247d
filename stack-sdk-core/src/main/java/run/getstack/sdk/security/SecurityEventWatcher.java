package run.getstack.sdk.security;

import java.time.Instant;
import java.util.Optional;

/** A running {@link SecurityEvents#watch watch}. Thread-safe; {@link #close()} stops it (so does closing the client). */
public interface SecurityEventWatcher extends AutoCloseable {
    /**
     * Returns the creation time of the newest event seen so far (empty before the first successful poll found any).
     *
     * @return the watermark
     */
    Optional<Instant> watermark();

    /**
     * Tells whether the watcher still polls.
     *
     * @return false after {@link #close()} or after the client closed
     */
    boolean isRunning();

    /** Stops polling; a poll in flight is interrupted. Idempotent. */
    @Override
    void close();
}
