package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;

class ExtensionPerTestTest {
    @RegisterExtension
    static final FakeControlPlaneExtension STACK = FakeControlPlaneExtension.perTest();

    static final Set<String> URLS = new HashSet<>();
    static final Set<FakeControlPlane> SEEN = new HashSet<>();

    @RepeatedTest(3)
    void eachTestGetsAFreshRunningFake(FakeControlPlane fake) {
        assertThat(fake).isSameAs(STACK.get());
        assertThat(fake.isClosed()).isFalse();
        assertThat(new Http(fake).get("/v1/agents").status()).isEqualTo(200);
        URLS.add(fake.baseUrl() + fake.operatorApiKey());
        SEEN.add(fake);
    }

    @AfterAll
    static void everyFakeWasDistinctAndClosed() {
        assertThat(URLS).hasSize(3);
        assertThat(SEEN).allMatch(FakeControlPlane::isClosed);
    }
}
