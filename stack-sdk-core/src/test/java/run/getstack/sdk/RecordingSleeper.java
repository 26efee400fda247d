package run.getstack.sdk;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.testkit.time.TestClock;

/** Records every wait and moves the test clock by it instead of sleeping. */
final class RecordingSleeper implements Sleeper {
    private final TestClock clock;
    final List<Duration> waits = new CopyOnWriteArrayList<>();

    RecordingSleeper(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        clock.advance(duration);
    }
}
