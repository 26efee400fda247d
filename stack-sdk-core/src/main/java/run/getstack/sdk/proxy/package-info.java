/**
 * STACK's credential proxy ({@code client.proxy()}, docs/wire-protocol.md §6): the agent's HTTP call to a provider
 * goes through {@code POST /v1/proxy} with the passport, STACK injects the credential, and the agent process never
 * holds the secret. {@link run.getstack.sdk.proxy.StackProxy#call} sends one {@link
 * run.getstack.sdk.proxy.ProxyRequest}; {@link run.getstack.sdk.proxy.StackProxy#interceptor} routes any OkHttp
 * client's calls through the proxy.
 */
@NullMarked
package run.getstack.sdk.proxy;

import org.jspecify.annotations.NullMarked;
