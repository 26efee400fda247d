package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

class ExtensionLifecycleTest {
    @Test
    void perClassStartsOnceResetsBetweenTestsAndClosesAfterAll() {
        FakeControlPlaneExtension ext = FakeControlPlaneExtension.perClass();
        ext.beforeAll(null);
        FakeControlPlane fake = ext.get();
        ext.beforeEach(null);
        fake.seed().agent("first-test");
        ext.afterEach(null);
        ext.beforeEach(null);
        assertThat(ext.get()).isSameAs(fake);
        assertThat(new Http(fake).get("/v1/agents").json().path("agents").size())
                .isZero();
        ext.afterEach(null);
        ext.afterAll(null);
        assertThat(fake.isClosed()).isTrue();
        assertThatThrownBy(ext::get).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void perTestClosesAfterEachTestEvenWhenTheTestFailed() {
        FakeControlPlaneExtension ext = FakeControlPlaneExtension.perTest();
        ext.beforeEach(null);
        FakeControlPlane fake = ext.get();
        ext.afterEach(null);
        assertThat(fake.isClosed()).isTrue();
    }

    @Test
    void configureAppliesToTheBuilder() {
        TestClock clock = TestClock.create();
        FakeControlPlaneExtension ext = FakeControlPlaneExtension.perTest().configure(b -> b.clock(clock));
        ext.beforeEach(null);
        try {
            assertThat(ext.get().clock()).isSameAs(clock);
        } finally {
            ext.afterEach(null);
        }
    }

    @Test
    void closeIsIdempotentAndStopsServing() {
        FakeControlPlane fake = FakeControlPlane.start();
        String url = fake.baseUrl();
        fake.close();
        fake.close();
        assertThatThrownBy(() -> new Http(url, "sk_live_x").get("/v1/agents"))
                .isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void builderValidatesAtOnceAndToStringHidesTheKey() {
        assertThatThrownBy(() -> FakeControlPlane.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> FakeControlPlane.builder().operatorApiKey("nope"))
                .hasMessageContaining("operatorApiKey");
        assertThatThrownBy(() -> FakeControlPlane.builder().clock(null)).isInstanceOf(NullPointerException.class);
        FakeControlPlane.Builder b = FakeControlPlane.builder().operatorApiKey("sk_live_op_fixed_key_123");
        assertThat(b.toString()).doesNotContain("sk_live_op_fixed_key_123");
        try (FakeControlPlane fake = b.start()) {
            assertThat(fake.operatorApiKey()).isEqualTo("sk_live_op_fixed_key_123");
            assertThat(fake.toString()).doesNotContain("sk_live_op_fixed_key_123");
            assertThat(FakeControlPlane.DEFAULT_KEY_GRACE).hasHours(1);
            assertThat(FakeControlPlane.MAX_REQUEST_BODY_BYTES).isEqualTo(1_048_576);
        }
    }

    @Test
    void seedingErrorsAreTypedJavaExceptions() {
        try (FakeControlPlane fake =
                FakeControlPlane.builder().clock(TestClock.create()).start()) {
            assertThatThrownBy(() -> fake.seed().agent("Bad Name"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("name");
            fake.seed().agent("taken");
            assertThatThrownBy(() -> fake.seed().agent("taken"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CONFLICT");
            String agent = fake.seed().agent("needs-intent");
            assertThatThrownBy(() -> fake.seed().newPassport(agent).create())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ACCOUNTABILITY_REQUIRED");
            assertThatThrownBy(() -> fake.seed().connection("nope", "x", "s"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown provider");
            assertThatThrownBy(() -> fake.seed().connection("openai", "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("scope");
        }
    }
}
