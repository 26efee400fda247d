package run.getstack.sdk.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DefaultTaskSchedulerTest {

    @Test
    void runsATaskOnANamedDaemonWorker() throws InterruptedException {
        try (DefaultTaskScheduler s = new DefaultTaskScheduler()) {
            AtomicReference<Thread> ran = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            s.submit("probe", () -> {
                ran.set(Thread.currentThread());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get().getName()).startsWith("stack-sdk-worker-");
            assertThat(ran.get().isDaemon()).isTrue();
        }
    }

    @Test
    void aCancelledTaskNeverRuns() throws InterruptedException {
        try (DefaultTaskScheduler s = new DefaultTaskScheduler()) {
            AtomicBoolean ran = new AtomicBoolean();
            TaskScheduler.Cancellable c = s.schedule("later", Duration.ofHours(1), () -> ran.set(true));
            c.cancel();
            assertThat(c.isDone()).isTrue();
            CountDownLatch after = new CountDownLatch(1);
            s.submit("after", after::countDown);
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).isFalse();
        }
    }

    @Test
    void closeInterruptsARunningTaskAndRefusesNewOnes() throws InterruptedException {
        DefaultTaskScheduler s = new DefaultTaskScheduler();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        s.submit("blocking", () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        s.close();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.isClosed()).isTrue();
        assertThatThrownBy(() -> s.submit("late", () -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aFailingTaskDoesNotStopTheScheduler() throws InterruptedException {
        try (DefaultTaskScheduler s = new DefaultTaskScheduler()) {
            s.submit("fails", () -> {
                throw new IllegalStateException("boom");
            });
            CountDownLatch next = new CountDownLatch(1);
            s.submit("next", next::countDown);
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void rejectsANegativeDelay() {
        try (DefaultTaskScheduler s = new DefaultTaskScheduler()) {
            assertThatThrownBy(() -> s.schedule("x", Duration.ofSeconds(-1), () -> {}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("delay");
        }
    }

    @Test
    void startsNoThreadUntilTheFirstTask() throws InterruptedException {
        // counts only this scheduler's threads: other tests' clients start and stop stack-sdk-* threads meanwhile
        List<Thread> created = new CopyOnWriteArrayList<>();
        ThreadFactory counting = r -> {
            Thread t = new Thread(r);
            created.add(t);
            return t;
        };
        try (DefaultTaskScheduler s = new DefaultTaskScheduler(counting)) {
            assertThat(created).as("no task yet").isEmpty();
            CountDownLatch ran = new CountDownLatch(1);
            s.submit("first", ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(created)
                    .as("the first task starts the timer and a worker, from the given factory")
                    .extracting(Thread::getName)
                    .contains("stack-sdk-timer", "stack-sdk-worker-1");
            assertThat(created).allMatch(Thread::isDaemon);
        }
    }
}
