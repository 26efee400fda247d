/**
 * Internal, not for public use; may change without notice. The JWS, JWK set and JWKS fetching layers behind
 * {@link run.getstack.sdk.passport.PassportVerifier}.
 */
@NullMarked
package run.getstack.sdk.passport.internal;

import org.jspecify.annotations.NullMarked;
