package run.getstack.sdk.testkit.internal.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.getstack.sdk.testkit.SecurityEvent;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Security events, oldest first, with resolution times and notes. */
final class EventStore implements Store {
    final List<SecurityEvent> events = new ArrayList<>();
    final Map<String, Instant> resolvedAt = new HashMap<>();
    final Map<String, String> notes = new HashMap<>();

    @Override
    public void reset() {
        events.clear();
        resolvedAt.clear();
        notes.clear();
    }
}
