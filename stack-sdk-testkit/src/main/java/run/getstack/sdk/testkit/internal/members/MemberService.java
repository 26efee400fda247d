package run.getstack.sdk.testkit.internal.members;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Wire;
import run.getstack.sdk.testkit.internal.crypto.Hashes;
import run.getstack.sdk.testkit.internal.route.MemberPrincipal;
import run.getstack.sdk.testkit.internal.route.MemberRole;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Team members (wire protocol §1.4, STACK v1 {@code /docs/concepts/team}): member keys
 * {@code sk_live_mem_…} with a role and {@code allowed_connections}; looked up before operator keys; revoking a member
 * removes its key at once.
 */
public final class MemberService {
    private final FakeState state;
    private final MemberStore store;

    MemberService(FakeState state, MemberStore store) {
        this.state = state;
        this.store = store;
    }

    /**
     * Adds an active member of an operator (locks itself).
     *
     * @param operatorId operator
     * @param role role
     * @param allowedConnections connections it may use, or null for all
     * @return {@code [memberId, apiKey]}
     */
    public String[] create(String operatorId, MemberRole role, @Nullable List<String> allowedConnections) {
        String key = "sk_live_mem_" + Wire.newId("", 40);
        String id = Wire.id("mem_");
        MemberStore.Member m = new MemberStore.Member(
                id,
                operatorId,
                role,
                allowedConnections == null ? null : new LinkedHashSet<>(allowedConnections),
                Hashes.sha256(key.getBytes(StandardCharsets.UTF_8)));
        state.locked(() -> {
            store.members.put(id, m);
        });
        return new String[] {id, key};
    }

    /**
     * Revokes a member of the operator: its key stops working with the next request (under the lock).
     *
     * @param operatorId operator
     * @param memberId member
     * @throws ApiError 404 when the operator has no such member
     */
    void revoke(String operatorId, String memberId) {
        MemberStore.Member m = store.members.get(memberId);
        if (m == null || !m.operatorId().equals(operatorId)) {
            throw ApiError.notFound("Member");
        }
        store.members.remove(memberId);
    }

    /**
     * Revokes a member by id (locks itself).
     *
     * @param memberId member
     * @throws IllegalArgumentException when unknown
     */
    public void revoke(String memberId) {
        state.locked(() -> {
            if (store.members.remove(memberId) == null) {
                throw new IllegalArgumentException("unknown member: " + memberId);
            }
        });
    }

    /**
     * The member a key belongs to (constant-time comparison of hashes), or null; call under the state lock.
     *
     * @param apiKey {@code sk_live_…}
     * @return the operator and the member, or null when no live member has the key
     */
    public @Nullable Match authenticate(String apiKey) {
        byte[] presented = Hashes.sha256(apiKey.getBytes(StandardCharsets.UTF_8));
        MemberStore.Member match = null;
        for (MemberStore.Member m : store.members.values()) {
            if (Hashes.constantTimeEquals(m.keyHash(), presented) && match == null) {
                match = m;
            }
        }
        if (match == null) {
            return null;
        }
        return new Match(match.operatorId(), new MemberPrincipal(match.id(), match.role(), match.allowedConnections()));
    }

    /**
     * A member key's operator and principal.
     *
     * @param operatorId the member's operator
     * @param member the member
     */
    public record Match(String operatorId, MemberPrincipal member) {}
}
