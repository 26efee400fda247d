/** A controllable clock for tests that share time between the fake control plane and the SDK. */
@NullMarked
package run.getstack.sdk.testkit.time;

import org.jspecify.annotations.NullMarked;
