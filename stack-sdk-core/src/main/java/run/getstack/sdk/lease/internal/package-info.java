/**
 * Internal, not for public use; may change without notice. The lease manager: one refresh-ahead cache entry per
 * leased credential, reference-counted grants, renewal and rotation, managed credentials on the client's scheduler,
 * and the local wrapped lease used when the control plane has no lease endpoints.
 */
@NullMarked
package run.getstack.sdk.lease.internal;

import org.jspecify.annotations.NullMarked;
