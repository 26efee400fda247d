package run.getstack.sdk.testkit.junit5;

import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import run.getstack.sdk.testkit.FakeControlPlane;

/**
 * JUnit 5/6 extension that runs a {@link FakeControlPlane}.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeControlPlaneExtension stack = FakeControlPlaneExtension.perClass();
 *
 * @Test
 * void issues(FakeControlPlane fake) { ... }   // or stack.get()
 * }</pre>
 *
 * <p>{@link #perClass()} (also what {@code @ExtendWith(FakeControlPlaneExtension.class)} gives) starts one fake
 * for the test class and {@linkplain FakeControlPlane#reset() resets} it before each test; {@link #perTest()}
 * starts a fresh fake for every test. The fake is always closed, also when a test fails. A {@code
 * FakeControlPlane} parameter of a test method, lifecycle method or constructor is injected.
 */
public final class FakeControlPlaneExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private final boolean perTest;
    private final Consumer<FakeControlPlane.Builder> configurer;
    private volatile @Nullable FakeControlPlane current;
    private volatile boolean usedInClass;

    /** Per-class lifecycle with default settings; the constructor {@code @ExtendWith} uses. */
    public FakeControlPlaneExtension() {
        this(false, b -> {});
    }

    private FakeControlPlaneExtension(boolean perTest, Consumer<FakeControlPlane.Builder> configurer) {
        this.perTest = perTest;
        this.configurer = configurer;
    }

    /**
     * One fake per test class, reset before each test.
     *
     * @return the extension
     */
    public static FakeControlPlaneExtension perClass() {
        return new FakeControlPlaneExtension(false, b -> {});
    }

    /**
     * A fresh fake for every test.
     *
     * @return the extension
     */
    public static FakeControlPlaneExtension perTest() {
        return new FakeControlPlaneExtension(true, b -> {});
    }

    /**
     * A copy of this extension that configures each fake's builder (e.g. {@code b -> b.clock(clock)}).
     *
     * @param configurer applied before start
     * @return the new extension
     */
    public FakeControlPlaneExtension configure(Consumer<FakeControlPlane.Builder> configurer) {
        Objects.requireNonNull(configurer, "configurer");
        Consumer<FakeControlPlane.Builder> previous = this.configurer;
        return new FakeControlPlaneExtension(perTest, previous.andThen(configurer));
    }

    /**
     * The running fake.
     *
     * @return the fake
     * @throws IllegalStateException outside a test
     */
    public FakeControlPlane get() {
        FakeControlPlane f = current;
        if (f == null || f.isClosed()) {
            throw new IllegalStateException("no FakeControlPlane is running (outside a test?)");
        }
        return f;
    }

    private FakeControlPlane startNew() {
        FakeControlPlane.Builder b = FakeControlPlane.builder();
        configurer.accept(b);
        FakeControlPlane f = b.start();
        current = f;
        return f;
    }

    private FakeControlPlane ensure() {
        FakeControlPlane f = current;
        if (f == null || f.isClosed()) {
            f = startNew();
        }
        return f;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!perTest) {
            ensure();
            usedInClass = false;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            ensure();
        } else {
            FakeControlPlane f = ensure();
            if (usedInClass) {
                f.reset();
            }
            usedInClass = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            closeCurrent();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeCurrent();
    }

    private void closeCurrent() {
        FakeControlPlane f = current;
        current = null;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == FakeControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return ensure();
    }

    @Override
    public String toString() {
        return "FakeControlPlaneExtension[" + (perTest ? "perTest" : "perClass") + "]";
    }
}
