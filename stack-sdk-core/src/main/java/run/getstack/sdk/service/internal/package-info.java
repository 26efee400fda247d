/** Internal, not for public use; may change without notice. Services and grants over the client's transport. */
@NullMarked
package run.getstack.sdk.service.internal;

import org.jspecify.annotations.NullMarked;
