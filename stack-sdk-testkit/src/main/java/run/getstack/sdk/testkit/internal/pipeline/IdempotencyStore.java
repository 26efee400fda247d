package run.getstack.sdk.testkit.internal.pipeline;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Stored responses by operator-scoped idempotency key (wire protocol §1.8). */
public final class IdempotencyStore implements Store {
    /** A stored response and the fingerprint of the request that made it. */
    record Stored(String fingerprint, int status, @Nullable String body, Map<String, String> headers) {}

    final Map<String, Stored> responses = new HashMap<>();
    final Map<String, Instant> firstUse = new HashMap<>();
    final Set<String> inFlight = new HashSet<>();
    final Map<String, String> inFlightFingerprints = new HashMap<>();

    @Override
    public void reset() {
        responses.clear();
        firstUse.clear();
        inFlight.clear();
        inFlightFingerprints.clear();
    }
}
