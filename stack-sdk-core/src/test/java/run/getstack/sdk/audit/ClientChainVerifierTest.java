package run.getstack.sdk.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.audit.internal.ClientChain;

class ClientChainVerifierTest {
    static List<ChainedAuditEvent> chain(int n) {
        ClientChain c = new ClientChain();
        List<ChainedAuditEvent> out = new ArrayList<>();
        String prev = ClientChainVerifier.GENESIS_HASH;
        for (int i = 1; i <= n; i++) {
            String id = String.format("00000000-0000-4000-8000-%012d", i);
            String jti = i % 2 == 0 ? null : "pp_x";
            String h = c.hash(id, 1_000L + i, "agt_a", jti, "tool.call", "success", i, prev);
            out.add(new ChainedAuditEvent(id, 1_000L + i, "agt_a", jti, "tool.call", "success", i, prev, h));
            prev = h;
        }
        return out;
    }

    static ChainedAuditEvent withAction(ChainedAuditEvent e, String action) {
        return new ChainedAuditEvent(
                e.eventId(),
                e.timestamp(),
                e.agentId(),
                e.passportJti(),
                action,
                e.outcome(),
                e.clientSeq(),
                e.clientPrevHash(),
                e.clientHash());
    }

    @Test
    void anIntactChainVerifies() {
        ClientChainVerification v = ClientChainVerifier.verify(chain(50));
        assertThat(v.valid()).isTrue();
        assertThat(v.checked()).isEqualTo(50);
        assertThat(v.firstBadEvent()).isEmpty();
        assertThat(ClientChainVerifier.verify(List.of()).valid()).isTrue();
    }

    @Test
    void anAlteredEventIsNamedAsTheFirstBadOne() {
        List<ChainedAuditEvent> c = new ArrayList<>(chain(10));
        c.set(6, withAction(c.get(6), "tool.refund"));
        ClientChainVerification v = ClientChainVerifier.verify(c);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEventId()).isEqualTo(c.get(6).eventId());
        assertThat(v.reason()).isEqualTo(ClientChainVerification.Reason.HASH_MISMATCH);
        assertThat(v.checked()).isEqualTo(7);
    }

    @Test
    void aRemovedEventBreaksTheChainAtItsSuccessor() {
        List<ChainedAuditEvent> c = new ArrayList<>(chain(10));
        ChainedAuditEvent next = c.get(4);
        c.remove(3);
        ClientChainVerification v = ClientChainVerifier.verify(c);
        assertThat(v.firstBadEventId()).isEqualTo(next.eventId());
        assertThat(v.reason()).isEqualTo(ClientChainVerification.Reason.SEQ_MISMATCH);
    }

    @Test
    void swappedEventsAreFound() {
        List<ChainedAuditEvent> c = new ArrayList<>(chain(10));
        ChainedAuditEvent a = c.get(2);
        c.set(2, c.get(3));
        c.set(3, a);
        ClientChainVerification v = ClientChainVerifier.verify(c);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBadEventId()).isEqualTo(c.get(2).eventId());
    }

    @Test
    void aForgedLinkWithAConsistentHashIsAPrevHashMismatch() {
        List<ChainedAuditEvent> c = new ArrayList<>(chain(5));
        ChainedAuditEvent e = c.get(3);
        String forgedPrev = "1".repeat(64);
        String h = new ClientChain()
                .hash(e.eventId(), e.timestamp(), e.agentId(), e.passportJti(), e.action(), e.outcome(), 4, forgedPrev);
        c.set(
                3,
                new ChainedAuditEvent(
                        e.eventId(),
                        e.timestamp(),
                        e.agentId(),
                        e.passportJti(),
                        e.action(),
                        e.outcome(),
                        4,
                        forgedPrev,
                        h));
        ClientChainVerification v = ClientChainVerifier.verify(c);
        assertThat(v.reason()).isEqualTo(ClientChainVerification.Reason.PREV_HASH_MISMATCH);
        assertThat(v.firstBadEventId()).isEqualTo(e.eventId());
    }

    @Test
    void aPieceOfAChainVerifiesFromItsPredecessor() {
        List<ChainedAuditEvent> c = chain(10);
        List<ChainedAuditEvent> tail = c.subList(5, 10);
        assertThat(ClientChainVerifier.verify(tail).valid()).isFalse();
        assertThat(ClientChainVerifier.verifyContinuing(tail, 5, c.get(4).clientHash())
                        .valid())
                .isTrue();
        assertThatThrownBy(() -> ClientChainVerifier.verifyContinuing(tail, -1, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previousSeq");
    }

    @Test
    void eventsOfAnotherAgentDoNotBelong() {
        List<ChainedAuditEvent> c = new ArrayList<>(chain(3));
        ChainedAuditEvent e = c.get(2);
        c.set(
                2,
                new ChainedAuditEvent(
                        e.eventId(),
                        e.timestamp(),
                        "agt_b",
                        e.passportJti(),
                        e.action(),
                        e.outcome(),
                        e.clientSeq(),
                        e.clientPrevHash(),
                        e.clientHash()));
        assertThat(ClientChainVerifier.verify(c).reason()).isEqualTo(ClientChainVerification.Reason.AGENT_MISMATCH);
    }
}
