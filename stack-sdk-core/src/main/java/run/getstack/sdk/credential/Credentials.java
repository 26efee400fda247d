package run.getstack.sdk.credential;

/**
 * STACK's credential endpoints ({@code GET /v1/credentials/*}, docs/wire-protocol.md §4.2), always called under the
 * agent's current passport ({@code X-Passport-Token} of {@code client.passport().current()}).
 *
 * <p>Before anything is sent, the provider is checked against the services of the passport: asking for one outside
 * them fails locally with {@link StackCredentialOutsideScopeException}, because STACK answers such a request with a
 * {@code credential_outside_scope} security event that can revoke the passport. A connection id ({@code scon_...} or
 * {@code svc_conn_...}) given where a provider is expected is refused locally with {@link IllegalArgumentException}
 * pointing to {@link #byConnection(String)}. An agent whose {@code credential_access} is {@code proxy_only} gets
 * {@link StackProxyOnlyException}.
 *
 * <p>Each call is one retrieval, audited by STACK and counted by its burst detector; for a credential used
 * repeatedly, lease it ({@code client.leases()}). Thread-safe.
 */
public interface Credentials {
    /**
     * Reads the credential of a provider's connection in the passport.
     *
     * @param provider the provider slug, e.g. {@code openai}
     * @return the credential; close it when done
     * @throws StackCredentialOutsideScopeException if the passport does not include the provider (nothing sent)
     * @throws StackProxyOnlyException if the agent may use credentials only through the proxy
     * @throws IllegalArgumentException if {@code provider} is malformed or is a connection id
     * @throws run.getstack.sdk.StackException on any other failure, typed by category
     */
    Credential get(String provider);

    /**
     * Reads the credential of one service connection in the passport.
     *
     * @param connectionId the connection id ({@code scon_...} or {@code svc_conn_...})
     * @return the credential; close it when done
     * @throws StackCredentialOutsideScopeException if the passport does not include the connection (nothing sent)
     * @throws StackProxyOnlyException if the agent may use credentials only through the proxy
     * @throws IllegalArgumentException if {@code connectionId} is malformed
     * @throws run.getstack.sdk.StackException on any other failure, typed by category
     */
    Credential byConnection(String connectionId);
}
