package run.getstack.sdk.mission.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.Passport;

/**
 * Internal, not for public use. The client's own passport ({@code StackClient.passport()}) as the passport of the
 * client's current mission: the mission is started (or, given by id, joined) on first use, then its passport is held,
 * refreshed and checkpointed by the mission; the mission's end ends this holder.
 */
public final class CurrentMissionPassport implements AgentPassport {
    private final Supplier<Mission> starter;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable DefaultMission mission;

    /**
     * Creates the holder; nothing is sent until {@link #current()}.
     *
     * @param starter starts or joins the mission (returns a mission held by the missions resource)
     */
    public CurrentMissionPassport(Supplier<Mission> starter) {
        this.starter = starter;
    }

    /**
     * Returns the current mission, starting it if needed.
     *
     * @return the mission
     */
    public Mission mission() {
        return held();
    }

    /**
     * Returns the current mission if it was started.
     *
     * @return the mission, or empty
     */
    public Optional<Mission> peekMission() {
        return Optional.ofNullable(mission);
    }

    private DefaultMission held() {
        DefaultMission m = mission;
        if (m != null) {
            return m;
        }
        // a ReentrantLock, not synchronized: the start is network I/O and callers may be virtual threads
        lock.lock();
        try {
            m = mission;
            if (m == null) {
                m = (DefaultMission) starter.get();
                mission = m;
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Passport current() {
        return held().holder().current();
    }

    @Override
    public Optional<Passport> peek() {
        DefaultMission m = mission;
        return m == null ? Optional.empty() : m.holder().peek();
    }

    @Override
    public Optional<Instant> expiresAt() {
        DefaultMission m = mission;
        return m == null ? Optional.empty() : m.holder().expiresAt();
    }

    @Override
    public boolean isTerminal() {
        DefaultMission m = mission;
        return m != null && m.holder().isTerminal();
    }

    @Override
    public String toString() {
        DefaultMission m = mission;
        return "AgentPassport{mission=" + (m == null ? null : m.id()) + ", passport=" + (m == null ? null : m.holder())
                + '}';
    }
}
