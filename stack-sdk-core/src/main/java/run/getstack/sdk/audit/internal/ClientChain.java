package run.getstack.sdk.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. The per-agent client chain of docs/wire-protocol.md §8.5: {@code client_hash =
 * lowercase_hex(SHA-256(UTF-8(JSON.stringify({event_id, timestamp, agent_id, passport_jti, action, outcome,
 * client_seq, client_prev_hash}))))}. One instance per thread (it reuses its digest and buffer).
 */
public final class ClientChain {
    /** The previous hash of the first event: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;
    private final CanonicalJson preimage = new CanonicalJson(512);

    /** Creates a hasher. */
    public ClientChain() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Writes the hash preimage into {@code w}.
     *
     * @param w the writer (appended to)
     * @param eventId the event id
     * @param timestamp Unix milliseconds
     * @param agentId the agent
     * @param passportJti the passport, or null
     * @param action the action
     * @param outcome the wire outcome
     * @param seq the client sequence number
     * @param prevHash the previous event's hash
     */
    public static void preimage(
            CanonicalJson w,
            String eventId,
            long timestamp,
            String agentId,
            @Nullable String passportJti,
            String action,
            String outcome,
            long seq,
            String prevHash) {
        w.raw("{\"event_id\":")
                .string(eventId)
                .raw(",\"timestamp\":")
                .number(timestamp)
                .raw(",\"agent_id\":")
                .string(agentId)
                .raw(",\"passport_jti\":")
                .stringOrNull(passportJti)
                .raw(",\"action\":")
                .string(action)
                .raw(",\"outcome\":")
                .string(outcome)
                .raw(",\"client_seq\":")
                .number(seq)
                .raw(",\"client_prev_hash\":")
                .string(prevHash)
                .raw('}');
    }

    /**
     * Computes an event's {@code client_hash}.
     *
     * @param eventId the event id
     * @param timestamp Unix milliseconds
     * @param agentId the agent
     * @param passportJti the passport, or null
     * @param action the action
     * @param outcome the wire outcome
     * @param seq the client sequence number
     * @param prevHash the previous event's hash
     * @return 64 lower-case hex digits
     */
    public String hash(
            String eventId,
            long timestamp,
            String agentId,
            @Nullable String passportJti,
            String action,
            String outcome,
            long seq,
            String prevHash) {
        preimage.reset();
        preimage(preimage, eventId, timestamp, agentId, passportJti, action, outcome, seq, prevHash);
        sha256.reset();
        sha256.update(preimage.buffer(), 0, preimage.length());
        return HEX.formatHex(sha256.digest());
    }
}
