/**
 * Internal, not for public use; may change without notice. The audit writer's canonical JSON, client chain, spool
 * segments, worker thread and sender.
 */
@NullMarked
package run.getstack.sdk.audit.internal;

import org.jspecify.annotations.NullMarked;
