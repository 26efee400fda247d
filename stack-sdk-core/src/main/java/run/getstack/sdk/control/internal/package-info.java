/** Internal, not for public use; may change without notice. */
@NullMarked
package run.getstack.sdk.control.internal;

import org.jspecify.annotations.NullMarked;
