/**
 * Internal, not for public use; may change without notice. Credential discovery: the operator's credentials file
 * ({@code ~/.stack/credentials.json}) and the refresh-token grant behind it.
 */
@NullMarked
package run.getstack.sdk.internal.auth;

import org.jspecify.annotations.NullMarked;
