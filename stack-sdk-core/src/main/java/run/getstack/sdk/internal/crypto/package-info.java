/** Internal, not for public use; may change without notice. Cryptographic primitives the SDK wraps. */
@NullMarked
package run.getstack.sdk.internal.crypto;

import org.jspecify.annotations.NullMarked;
