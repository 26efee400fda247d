/** A runnable tour of the STACK SDK: an agent's passport, verified offline, checkpointed and checked out. */
@NullMarked
package run.getstack.sdk.samples.quickstart;

import org.jspecify.annotations.NullMarked;
