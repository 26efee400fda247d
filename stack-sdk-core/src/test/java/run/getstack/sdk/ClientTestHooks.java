package run.getstack.sdk;

import java.util.function.DoubleSupplier;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/** Reaches the builder's package-private test settings from tests in other packages (flows, capabilities). */
public final class ClientTestHooks {
    private ClientTestHooks() {}

    /**
     * Gives the client a scheduler the test drives (a {@code ManualTaskScheduler} on the test clock).
     *
     * @param b the builder
     * @param scheduler the scheduler
     * @return the builder
     */
    public static StackClient.Builder scheduler(StackClient.Builder b, TaskScheduler scheduler) {
        return b.scheduler(scheduler);
    }

    /**
     * Makes retries wait through {@code sleeper}.
     *
     * @param b the builder
     * @param sleeper the sleeper
     * @return the builder
     */
    public static StackClient.Builder sleeper(StackClient.Builder b, Sleeper sleeper) {
        return b.sleeper(sleeper);
    }

    /**
     * Sets the jitter's random source.
     *
     * @param b the builder
     * @param random uniform in [0, 1)
     * @return the builder
     */
    public static StackClient.Builder random(StackClient.Builder b, DoubleSupplier random) {
        return b.random(random);
    }

    /**
     * Returns the client's event hook.
     *
     * @param client the client
     * @return its hook
     */
    public static run.getstack.sdk.internal.events.ClientEvents events(StackClient client) {
        return client.events();
    }

    /**
     * Returns the client's scheduler.
     *
     * @param client the client
     * @return its scheduler
     */
    public static TaskScheduler scheduler(StackClient client) {
        return client.scheduler();
    }

    /**
     * Returns the client's transport, to build a resource around it in a test.
     *
     * @param client the client
     * @return its transport
     */
    public static run.getstack.sdk.internal.http.Transport transport(StackClient client) {
        return client.transport();
    }
}
