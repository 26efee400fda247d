/**
 * Credentials from STACK's vault, read under the agent's passport: {@link run.getstack.sdk.credential.Credentials}
 * ({@code client.credentials()}) returns a {@link run.getstack.sdk.credential.Credential} whose value is held in
 * {@link run.getstack.sdk.Secret}s. For credentials that stay fresh, see {@code run.getstack.sdk.lease}; for calls
 * where the agent never holds the secret, see {@code run.getstack.sdk.proxy}.
 */
@NullMarked
package run.getstack.sdk.credential;

import org.jspecify.annotations.NullMarked;
