/** Internal, not for public use; may change without notice. The proxy resource and its OkHttp interceptor. */
@NullMarked
package run.getstack.sdk.proxy.internal;

import org.jspecify.annotations.NullMarked;
