/** Internal, not for public use; may change without notice. The agents resource over the client's transport. */
@NullMarked
package run.getstack.sdk.agent.internal;

import org.jspecify.annotations.NullMarked;
