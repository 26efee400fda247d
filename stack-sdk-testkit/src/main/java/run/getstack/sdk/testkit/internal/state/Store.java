package run.getstack.sdk.testkit.internal.state;

/**
 * Internal, not for public use. One resource's state. The {@link FakeState} that owns it calls {@link #reset()}
 * under its lock; every access happens under that lock.
 */
public interface Store {
    /** Returns to the state of a freshly started fake (what the store keeps across a reset, it says). */
    void reset();
}
