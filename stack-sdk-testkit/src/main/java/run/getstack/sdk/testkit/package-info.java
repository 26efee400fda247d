/** An in-memory fake STACK control plane for tests. */
@NullMarked
package run.getstack.sdk.testkit;

import org.jspecify.annotations.NullMarked;
