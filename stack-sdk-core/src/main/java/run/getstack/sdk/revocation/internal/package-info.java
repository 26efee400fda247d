/** Internal, not for public use: the client side of the revocation feed (wire protocol §7.2, §11). */
@NullMarked
package run.getstack.sdk.revocation.internal;

import org.jspecify.annotations.NullMarked;
