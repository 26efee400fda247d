/** Internal, not for public use; may change without notice. Security events over the client's transport. */
@NullMarked
package run.getstack.sdk.security.internal;

import org.jspecify.annotations.NullMarked;
