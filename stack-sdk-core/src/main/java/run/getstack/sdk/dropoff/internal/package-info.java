/** Internal, not for public use; may change without notice. The drop-offs resource and its built-in payload codec. */
@NullMarked
package run.getstack.sdk.dropoff.internal;

import org.jspecify.annotations.NullMarked;
