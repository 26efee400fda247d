/**
 * Internal, not for public use; may change without notice. The credential resource, the local checks shared by
 * credentials, leases and the proxy (passport scope, connection ids), and the events they publish.
 */
@NullMarked
package run.getstack.sdk.credential.internal;

import org.jspecify.annotations.NullMarked;
