/**
 * Passports: short-lived, Ed25519-signed tokens that say what an agent may do.
 *
 * <p>For agents: {@link run.getstack.sdk.passport.Passports} is the resource (issue, refresh, verify, delegate,
 * revoke, list, checkpoint, checkout); {@link run.getstack.sdk.passport.AgentPassport} is the agent's own passport,
 * obtained, held and refreshed ahead of expiry by the client.
 *
 * <p>For services that receive passports: {@link run.getstack.sdk.passport.PassportVerifier} checks a passport JWT
 * offline against STACK's JWKS and returns a {@link run.getstack.sdk.passport.VerifiedPassport}, or throws a {@link
 * run.getstack.sdk.passport.PassportVerificationException} that names the {@link
 * run.getstack.sdk.passport.PassportVerificationException.Reason}. Usable without a STACK client.
 */
@NullMarked
package run.getstack.sdk.passport;

import org.jspecify.annotations.NullMarked;
