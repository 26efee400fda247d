/**
 * Internal, not for public use; may change without notice. Agent key-pair enrollment and agent-signed JWTs
 * (docs/wire-protocol.md §2.3, §2.4).
 */
@NullMarked
package run.getstack.sdk.agentkey.internal;

import org.jspecify.annotations.NullMarked;
