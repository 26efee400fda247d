package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;

@ExtendWith(FakeControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtendWithInjectionTest {
    static FakeControlPlane first;
    private final FakeControlPlane injected;

    ExtendWithInjectionTest(FakeControlPlane injected) {
        this.injected = injected;
    }

    @Test
    @Order(1)
    void constructorAndMethodParametersGetTheSameFake(FakeControlPlane fake) {
        assertThat(fake).isSameAs(injected);
        fake.seed().agent("left-behind");
        fake.faults().on("GET", "/v1/agents").respondWith(500);
        first = fake;
    }

    @Test
    @Order(2)
    void stateIsResetBetweenTestsOfTheClass(FakeControlPlane fake) {
        assertThat(fake).isSameAs(first);
        assertThat(new Http(fake).get("/v1/agents").json().path("agents").size())
                .isZero();
    }
}
