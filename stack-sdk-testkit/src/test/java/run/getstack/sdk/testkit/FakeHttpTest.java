package run.getstack.sdk.testkit;

import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the endpoint tests: before each test (and before the subclass's own {@code @BeforeEach}), hands it the fake
 * its {@code @RegisterExtension} field started and an operator {@link Http} client to it. The subclass keeps its own
 * extension and clock, since those are its configuration.
 */
abstract class FakeHttpTest {
    /** The fake of this test. */
    FakeControlPlane fake;

    /** The operator's client to {@link #fake}. */
    Http http;

    @BeforeEach
    final void connectHttp(FakeControlPlane fake) {
        this.fake = fake;
        this.http = new Http(fake);
    }
}
