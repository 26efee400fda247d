/** AssertJ-style assertions over the fake control plane, its audit log and its request journal. */
@NullMarked
package run.getstack.sdk.testkit.assertj;

import org.jspecify.annotations.NullMarked;
