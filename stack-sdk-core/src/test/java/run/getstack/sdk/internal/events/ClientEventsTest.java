package run.getstack.sdk.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientEventsTest {
    private static ClientEvent event(String action) {
        return new ClientEvent(
                Instant.EPOCH, action, ClientEvent.Outcome.SUCCESS, null, null, Map.of("provider", "stripe"));
    }

    @Test
    void everySubscriberSeesTheEventAndAFailingOneStopsNobody() throws Exception {
        ClientEvents events = new ClientEvents();
        List<String> seen = new ArrayList<>();
        events.subscribe(e -> {
            throw new IllegalStateException("boom");
        });
        AutoCloseable handle = events.subscribe(e -> seen.add(e.action()));
        assertThat(events.hasSubscribers()).isTrue();

        events.publish(event("lease.acquired"));
        handle.close();
        events.publish(event("lease.released"));

        assertThat(seen).containsExactly("lease.acquired");
    }

    @Test
    void anActionMustBeDottedLowerCase() {
        assertThatThrownBy(() -> event("Lease Acquired"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("action");
        assertThatThrownBy(() -> event("a".repeat(129))).isInstanceOf(IllegalArgumentException.class);
    }
}
