package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.Optional;
import run.getstack.sdk.StackException;

/**
 * The agent's own passport ({@code client.passport()}): obtained on first use with the client's {@link
 * PassportRequest}, held, and refreshed ahead of expiry per the client's {@link PassportRefreshPolicy}.
 *
 * <ul>
 *   <li>Before the refresh time {@link #current()} returns the held passport without I/O.
 *   <li>From the refresh time on, one caller refreshes (and waits for it); every other caller gets the held
 *       passport at once. A failed refresh is retried after a backoff while the passport stays valid.
 *   <li>With no passport yet, or once the held one is within the expiry margin, callers wait and exactly one
 *       request is made for all of them. An expired passport is never returned: if refreshing keeps failing, callers
 *       get {@link StackPassportExpiredException} (the last failure as its cause) only once the passport has
 *       actually expired.
 *   <li>{@code PASSPORT_REVOKED} from the server (or a revocation of this passport through {@link Passports}) is
 *       terminal: from then on every call throws {@link StackPassportRevokedException}, with no request. A checkout
 *       of this passport is terminal the same way ({@link StackPassportCheckedOutException}).
 *   <li>The client follows STACK's revocation feed: a revocation made elsewhere (directly, or by a cascade: the agent
 *       revoked or deleted, its session, a service disconnected, a claim revoked, its mission completed or revoked,
 *       operator-wide) makes the holder terminal within about a second, with no request.
 * </ul>
 *
 * <p><b>After a revocation.</b> The holder never serves a passport again. The agent stops the work under it; to go
 * on, it builds a new client (or issues with {@code client.passports().issue(...)}), which gets a new passport when
 * the agent is not blocked. When a detector or review blocked the agent, issuing fails with {@link
 * StackPassportBlockedException} until an operator unblocks it ({@code client.agents().unblock(agentId)}).
 *
 * <p>Thread-safe; no thread is created (the refresh runs on a caller's thread).
 */
public interface AgentPassport {
    /**
     * Returns a passport that is valid now, obtaining or refreshing it as described above.
     *
     * @return the passport
     * @throws StackPassportRevokedException if it was revoked (terminal)
     * @throws StackPassportCheckedOutException if it was checked out (terminal)
     * @throws StackPassportExpiredException if it expired while refreshing failed
     * @throws StackException if the first issue failed
     */
    Passport current();

    /**
     * Returns the held passport without any I/O, if there is one that is valid now.
     *
     * @return the passport, or empty
     */
    Optional<Passport> peek();

    /**
     * Returns when the held passport expires on the client's clock (skew-corrected), for health reporting.
     *
     * @return the expiry, or empty when none is held
     */
    Optional<Instant> expiresAt();

    /**
     * Tells whether the holder is terminal (revoked or checked out).
     *
     * @return true once no passport will be served again
     */
    boolean isTerminal();
}
