/**
 * Identity claims: what identity providers verified about the human behind an operator's agents ({@code
 * docs/wire-protocol.md} §10.2).
 *
 * <p>{@link run.getstack.sdk.identity.Identity} ({@code client.identity()}) lists the providers and the operator's
 * claims, starts and completes a verification, and revokes a claim. Passports issued afterwards carry the operator's
 * active claims (read them with {@link run.getstack.sdk.passport.VerifiedPassport#identityClaims()}); revoking a claim
 * revokes every passport that carries it. Claims never hold personal data.
 *
 * <pre>{@code
 * Verification v = stack.identity().startVerification("bankid_se", "verified_human");
 * // the person opens v.redirectUrl() and passes the provider's check, then:
 * Verification done = stack.identity().completeVerification(v);
 * }</pre>
 */
@NullMarked
package run.getstack.sdk.identity;

import org.jspecify.annotations.NullMarked;
