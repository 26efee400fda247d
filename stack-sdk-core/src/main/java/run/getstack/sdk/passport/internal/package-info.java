/**
 * Internal, not for public use; may change without notice. The JWS, JWK set and JWKS fetching layers behind
 * {@link run.getstack.sdk.passport.PassportVerifier}, and the client side of passports: the agent's passport holder,
 * the passports resource and the guard that remembers checked-out and revoked passports.
 */
@NullMarked
package run.getstack.sdk.passport.internal;

import org.jspecify.annotations.NullMarked;
