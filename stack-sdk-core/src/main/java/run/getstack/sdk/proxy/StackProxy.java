package run.getstack.sdk.proxy;

import okhttp3.Interceptor;

/**
 * STACK's credential proxy, under the agent's current passport. Thread-safe.
 *
 * <p>Every call carries an {@code authority_request_id} (STACK requires one on every non-GET call): the request's
 * own ({@link ProxyRequest.Builder#authorityRequestId(String)}), or one the SDK generates per logical call. Retries
 * of that call reuse it, so STACK runs the operation once; when the outcome stays unknown (the connection dropped
 * after sending, say) a non-GET call fails with {@link StackProxyOutcomeUnknownException} carrying the id, and the
 * SDK never resends the operation under a new id. The service is checked against the passport before anything is
 * sent ({@link run.getstack.sdk.credential.StackCredentialOutsideScopeException}).
 *
 * <p>Failures are typed: {@link StackUpstreamException} ({@code UPSTREAM_ERROR}: the upstream was unreachable, or
 * its response too large), {@link StackUpstreamTimeoutException} ({@code UPSTREAM_TIMEOUT}), {@link
 * StackConstraintFailedException} (a constraint of the passport's service scope refused the call); the upstream's
 * own error statuses are not errors but a {@link ProxyResponse} with that status.
 */
public interface StackProxy {
    /**
     * Sends one call through the proxy.
     *
     * @param request the call
     * @return the upstream's answer
     * @throws run.getstack.sdk.StackException on failure, typed as above
     */
    ProxyResponse call(ProxyRequest request);

    /**
     * Returns an OkHttp application interceptor that sends every call of the client it is added to through the
     * proxy for {@code service}, with the passport, and answers with the upstream's response: {@code new
     * OkHttpClient.Builder().addInterceptor(stack.proxy().interceptor("slack")).build()}. Request bodies must be
     * JSON ({@code application/json} or {@code +json}) or text; STACK's injected credential overrides any
     * authorization header. A failure reaches OkHttp's caller as an {@link java.io.IOException} whose cause is the
     * typed {@link run.getstack.sdk.StackException}. Add it with {@code addInterceptor} (not as a network
     * interceptor) and never to the client given to {@code StackClient.Builder.okHttpClient}.
     *
     * @param service the provider slug whose credential STACK injects
     * @return the interceptor
     */
    Interceptor interceptor(String service);
}
