/**
 * Internal, not for public use. Control policies and review holds (wire protocol §15): per-agent (or account default)
 * policies that refuse or hold proxied actions ({@code CONTROL_DENIED}), the held request's exact bytes, the owner's
 * approval and the one resend with {@code X-Control-Ref} within the hour.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.controls;

import org.jspecify.annotations.NullMarked;
