/** Internal, not for public use: the identity resource over the client's transport. */
@NullMarked
package run.getstack.sdk.identity.internal;

import org.jspecify.annotations.NullMarked;
