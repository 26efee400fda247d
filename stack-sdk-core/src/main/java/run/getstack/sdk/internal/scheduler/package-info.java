/**
 * Internal, not for public use; may change without notice. The client's one scheduler: every background task of a
 * {@code StackClient} (lease renewal, the revocation follower, mission checkpoints, watchers) runs here, and {@code
 * close()} stops all of them.
 */
@NullMarked
package run.getstack.sdk.internal.scheduler;

import org.jspecify.annotations.NullMarked;
