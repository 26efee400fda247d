/**
 * Intent approvals: a person in the loop before an enforced agent acts (hosted STACK's live API; {@code
 * docs/wire-protocol.md} §14.1–§14.3).
 *
 * <p>An agent in {@code enforced} mode needs an approved intent before a proxy, skill or agent-to-agent call. It
 * describes the call in an {@link run.getstack.sdk.intent.IntentClaim}, submits it under its passport ({@code
 * client.intents().submit(claim)}), waits for the owner's decision without holding a thread ({@link
 * run.getstack.sdk.intent.Intents#whenDecided}) and sends the call once with the approval's id:
 *
 * <pre>{@code
 * ProxyRequest post = ProxyRequest.builder("slack", "POST", url).jsonBody(json).build();
 * IntentApproval pending = stack.intents().submit(
 *         IntentClaim.forProxyCall(post, "post_weekly_update").reason("the weekly team update").build());
 * stack.intents().whenDecided(pending.approvalId(), Duration.ofMinutes(30))
 *         .thenApply(ok -> stack.proxy().call(post.toBuilder().approvalId(ok.approvalId()).build()));
 * }</pre>
 *
 * <p>An approval is used once, for the call it names. A rejection revokes the passport it was submitted under: the
 * SDK treats it as a revocation ({@link run.getstack.sdk.intent.StackIntentRejectedException}).
 */
@NullMarked
package run.getstack.sdk.intent;

import org.jspecify.annotations.NullMarked;
