package run.getstack.sdk;

import java.util.function.DoubleSupplier;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.scheduler.TaskScheduler;

/** Reaches the builder's package-private test settings from tests in other packages (flows, capabilities). */
public final class ClientTestHooks {
    private ClientTestHooks() {}

    /**
     * Gives the client a scheduler the test drives (a {@code ManualTaskScheduler} on the test clock; the revocation
     * feed then polls with {@code wait=0}, at most once per second of the test clock).
     *
     * @param b the builder
     * @param scheduler the scheduler
     * @return the builder
     */
    public static StackClient.Builder scheduler(StackClient.Builder b, TaskScheduler scheduler) {
        if (scheduler instanceof run.getstack.sdk.internal.scheduler.ManualTaskScheduler) {
            b.revocationWaitSeconds(0); // a long poll would park the thread that runs the due tasks
        }
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

    /**
     * Sets the revocation feed's {@code wait} (0 with a manual scheduler, so a poll never parks the test thread).
     *
     * @param b the builder
     * @param seconds 0 to 30
     * @return the builder
     */
    public static StackClient.Builder revocationWait(StackClient.Builder b, int seconds) {
        return b.revocationWaitSeconds(seconds);
    }

    /**
     * Builds the client without its revocation follower (and without the staleness check), for tests of other
     * capabilities that count requests exactly.
     *
     * @param b the builder
     * @return the builder
     */
    public static StackClient.Builder withoutRevocationFollower(StackClient.Builder b) {
        return b.revocationFollower(false);
    }

    /**
     * Returns the client's revocation follower.
     *
     * @param client the client
     * @return the follower, or null when disabled
     */
    public static run.getstack.sdk.revocation.internal.@org.jspecify.annotations.Nullable RevocationFollower
            revocationFollower(StackClient client) {
        return client.revocationFollower();
    }
}
