/** Internal, not for public use; may change without notice. The implementation of the passport package. */
@NullMarked
package run.getstack.sdk.internal.passport;

import org.jspecify.annotations.NullMarked;
