/**
 * Internal, not for public use; may change without notice. The client's one poll-with-watermark loop: the audit
 * follower, the security-event watcher and the revocation follower each supply one poll step (which owns its
 * watermark or cursor) and run on {@link run.getstack.sdk.internal.follow.PollLoop}.
 */
@NullMarked
package run.getstack.sdk.internal.follow;

import org.jspecify.annotations.NullMarked;
