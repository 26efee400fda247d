/**
 * Internal, not for public use. People in the loop (wire protocol §14): intent approvals ({@code ia_…}) that an
 * enforced passport needs before a proxy call or skill invocation, and governance approvals ({@code gvr_…}) that gate operator writes
 * which loosen anything (unblock, grant expansion). Both switched off by default, on through {@code Seed}.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.intents;

import org.jspecify.annotations.NullMarked;
