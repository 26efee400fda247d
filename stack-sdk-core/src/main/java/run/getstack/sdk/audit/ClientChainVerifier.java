package run.getstack.sdk.audit;

import java.util.List;
import java.util.Objects;
import run.getstack.sdk.audit.internal.ClientChain;

/**
 * Checks a sequence of client audit events against the chain rules of docs/wire-protocol.md §8.5: each event's
 * {@code client_hash} recomputes from its fields over the canonical form, its {@code client_prev_hash} is the
 * previous event's hash, its {@code client_seq} is the previous one plus 1, and all belong to one agent. Names the
 * first bad event. Stateless and thread-safe; works on any export, not only on what this SDK wrote.
 *
 * <p>This checks the chain the SDK's audit writer builds per agent ({@code client_*} fields). The operator's
 * exported audit log has its own server-side chain, checked by {@link run.getstack.sdk.auditlog.AuditChainVerifier}.
 *
 * <pre>{@code
 * ClientChainVerification v = ClientChainVerifier.verify(events);
 * if (!v.valid()) { alert(v.firstBadEventId(), v.reason()); }
 * }</pre>
 */
public final class ClientChainVerifier {
    /** The previous hash of an agent's first event: 64 zeros. */
    public static final String GENESIS_HASH = ClientChain.GENESIS;

    private ClientChainVerifier() {}

    /**
     * Verifies a chain from its start: the first event must have {@code client_seq} 1 and the genesis previous hash.
     *
     * @param events the events in chain order
     * @return the verdict
     */
    public static ClientChainVerification verify(List<ChainedAuditEvent> events) {
        return verifyContinuing(events, 0, GENESIS_HASH);
    }

    /**
     * Verifies a piece of a chain that continues after a known event (for an export that starts in the middle).
     *
     * @param events the events in chain order
     * @param previousSeq the {@code client_seq} of the event before the first (0 for a chain from genesis)
     * @param previousHash that event's {@code client_hash} (the genesis hash for a chain from genesis)
     * @return the verdict
     */
    public static ClientChainVerification verifyContinuing(
            List<ChainedAuditEvent> events, long previousSeq, String previousHash) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(previousHash, "previousHash");
        if (previousSeq < 0) {
            throw new IllegalArgumentException("previousSeq: must not be negative, was " + previousSeq);
        }
        ClientChain chain = new ClientChain();
        long seq = previousSeq;
        String prev = previousHash;
        String agent = null;
        int checked = 0;
        for (ChainedAuditEvent e : events) {
            Objects.requireNonNull(e, "events: contains null");
            checked++;
            if (agent == null) {
                agent = e.agentId();
            } else if (!agent.equals(e.agentId())) {
                return bad(checked, e, ClientChainVerification.Reason.AGENT_MISMATCH);
            }
            String recomputed = chain.hash(
                    e.eventId(),
                    e.timestamp(),
                    e.agentId(),
                    e.passportJti(),
                    e.action(),
                    e.outcome(),
                    e.clientSeq(),
                    e.clientPrevHash());
            if (!recomputed.equals(e.clientHash())) {
                return bad(checked, e, ClientChainVerification.Reason.HASH_MISMATCH);
            }
            if (e.clientSeq() != seq + 1) {
                return bad(checked, e, ClientChainVerification.Reason.SEQ_MISMATCH);
            }
            if (!prev.equals(e.clientPrevHash())) {
                return bad(checked, e, ClientChainVerification.Reason.PREV_HASH_MISMATCH);
            }
            seq = e.clientSeq();
            prev = e.clientHash();
        }
        return new ClientChainVerification(true, checked, null, null);
    }

    private static ClientChainVerification bad(int checked, ChainedAuditEvent e, ClientChainVerification.Reason r) {
        return new ClientChainVerification(false, checked, e.eventId(), r);
    }
}
