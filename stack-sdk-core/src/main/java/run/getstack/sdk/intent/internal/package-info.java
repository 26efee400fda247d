/**
 * Internal, not for public use. Intent approvals: the claim's JSON, the approval's decoding, the waits driven by the
 * client's scheduler, and the mapping of the proxy's intent refusals.
 */
@NullMarked
package run.getstack.sdk.intent.internal;

import org.jspecify.annotations.NullMarked;
