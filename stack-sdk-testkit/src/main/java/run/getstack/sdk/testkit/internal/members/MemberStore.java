package run.getstack.sdk.testkit.internal.members;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Team members by id; only each key's SHA-256 is kept. */
final class MemberStore implements Store {
    /** One member (the key is kept only as its hash, compared in constant time, never with equals). */
    @SuppressWarnings("ArrayRecordComponent")
    record Member(
            String id,
            String operatorId,
            MemberRole role,
            @Nullable Set<String> allowedConnections,
            byte[] keyHash) {}

    final Map<String, Member> members = new LinkedHashMap<>();

    @Override
    public void reset() {
        members.clear();
    }
}
