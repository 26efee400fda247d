/**
 * Passports: short-lived, Ed25519-signed tokens that say what an agent may do. {@link
 * run.getstack.sdk.passport.Passports} is the resource (issue, refresh, verify, delegate, revoke, list, checkpoint,
 * checkout); {@link run.getstack.sdk.passport.AgentPassport} is the agent's own passport, obtained, held and refreshed
 * ahead of expiry by the client.
 */
@NullMarked
package run.getstack.sdk.passport;

import org.jspecify.annotations.NullMarked;
