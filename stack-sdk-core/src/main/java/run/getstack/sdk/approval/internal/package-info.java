/** Internal, not for public use. Governance approvals over the wire (§14.5). */
@NullMarked
package run.getstack.sdk.approval.internal;

import org.jspecify.annotations.NullMarked;
