/** Internal, not for public use: the missions resource over the client's transport, and the held mission. */
@NullMarked
package run.getstack.sdk.mission.internal;

import org.jspecify.annotations.NullMarked;
