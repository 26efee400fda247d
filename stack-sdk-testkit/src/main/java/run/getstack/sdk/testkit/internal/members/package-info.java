/** Internal, not for public use; may change without notice. */
@NullMarked
package run.getstack.sdk.testkit.internal.members;

import org.jspecify.annotations.NullMarked;
