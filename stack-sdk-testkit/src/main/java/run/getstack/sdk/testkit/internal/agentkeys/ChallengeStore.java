package run.getstack.sdk.testkit.internal.agentkeys;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Enrollment challenges and which were used. */
final class ChallengeStore implements Store {
    /** One challenge. */
    record Challenge(String id, String agentId, String challenge, Instant expiresAt) {}

    final Map<String, Challenge> challenges = new HashMap<>();
    final Set<String> used = new HashSet<>();

    @Override
    public void reset() {
        challenges.clear();
        used.clear();
    }
}
