/** The JUnit 5 extension that starts a {@link run.getstack.sdk.testkit.FakeControlPlane} for a test class or a test. */
@NullMarked
package run.getstack.sdk.testkit.junit5;

import org.jspecify.annotations.NullMarked;
