/** Internal, not for public use; may change without notice. Shared rules of the public open-enum value classes. */
@NullMarked
package run.getstack.sdk.internal.values;

import org.jspecify.annotations.NullMarked;
