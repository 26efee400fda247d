/** Internal, not for public use: the skills resource over the client's transport, and its error codes. */
@NullMarked
package run.getstack.sdk.skill.internal;

import org.jspecify.annotations.NullMarked;
