package run.getstack.sdk.mission.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * Internal, not for public use. What the SDK saw happen under one mission's passports since the last checkpoint, for
 * the checkpoint's {@code services_used} and {@code actions_count}: every successful {@value #PROXY_CALL}, {@value
 * #LEASE_ACQUIRED} and {@value #CREDENTIAL_FETCHED} event published on the client's event hook under a passport bound
 * to the mission (delegated children included), its service from the event's {@code service} detail. Subscribed to
 * the client's {@code ClientEvents}; thread-safe.
 */
public final class ActionTally implements Consumer<ClientEvent> {
    /** A proxied call. */
    public static final String PROXY_CALL = "proxy.call";

    /** A lease granted. */
    public static final String LEASE_ACQUIRED = "lease.acquired";

    /** A credential fetched. */
    public static final String CREDENTIAL_FETCHED = "credential.fetched";

    private static final Set<String> COUNTED = Set.of(PROXY_CALL, LEASE_ACQUIRED, CREDENTIAL_FETCHED);
    private static final int MAX_SERVICES = 64;

    private final String missionId;
    private final PassportGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeSet<String> services = new TreeSet<>();
    private long actions;

    /**
     * Creates a tally for one mission.
     *
     * @param missionId the mission
     * @param guard the client's guard (which knows each passport's mission)
     */
    public ActionTally(String missionId, PassportGuard guard) {
        this.missionId = missionId;
        this.guard = guard;
    }

    @Override
    public void accept(ClientEvent e) {
        String jti = e.passportJti();
        if (jti == null
                || e.outcome() != ClientEvent.Outcome.SUCCESS
                || !COUNTED.contains(e.action())
                || !missionId.equals(guard.missionOf(jti))) {
            return;
        }
        String service = e.detail().get("service");
        lock.lock();
        try {
            actions++;
            if (service != null && services.size() < MAX_SERVICES) {
                services.add(service);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns what was seen since the last {@link #consume}.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(List.copyOf(services), actions);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets what a checkpoint reported (what happened since stays counted).
     *
     * @param reported the snapshot the checkpoint sent
     */
    public void consume(Snapshot reported) {
        lock.lock();
        try {
            actions = Math.max(0, actions - reported.actions());
            if (actions == 0) {
                services.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What was seen.
     *
     * @param services the services, sorted
     * @param actions the action count
     */
    public record Snapshot(List<String> services, long actions) {}
}
