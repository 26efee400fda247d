/**
 * Internal, not for public use; may change without notice. The SDK's one refresh-ahead cache for short-lived values
 * (passports, and later leases, JWKS, access tokens).
 */
@NullMarked
package run.getstack.sdk.internal.cache;

import org.jspecify.annotations.NullMarked;
