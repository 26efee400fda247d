package run.getstack.sdk.testkit.internal.missions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.Body;
import run.getstack.sdk.testkit.internal.Json;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. A mission's caps (wire protocol §10.4.5): what a mission's limits are, what each
 * credential fetch, lease grant and proxy call counts against them (one action, a proxy call's request and response
 * bytes and its price in cents), and the pause when a call would pass a cap. A call that would pass a cap is refused
 * with 409 {@code MISSION_PAUSED} before it is performed and counts nothing; a response whose bytes pass {@code
 * max_bytes} has already been performed, so it pauses the mission for the next call. Every method runs under the
 * state lock.
 */
public final class MissionCaps {
    /** The caps a mission's {@code limits} may set besides {@link #PER_SERVICE}. */
    static final List<String> CAPS = List.of("max_actions", "max_cents", "max_seconds", "max_bytes");

    /** The per-service action cap: {@code limits.max_actions_per_service.<slug>}. */
    static final String PER_SERVICE = "max_actions_per_service";

    /** Most services one {@code max_actions_per_service} names. */
    static final int MAX_PER_SERVICE_ENTRIES = 100;

    /** Told when a cap pauses a mission, before the refusal is thrown (the module audits it). */
    @FunctionalInterface
    interface PauseListener {
        /**
         * A cap has just paused the mission ({@link Mission#pausedCap} is set).
         *
         * @param m the mission
         * @param trace the request id, or null
         */
        void paused(Mission m, @Nullable String trace);
    }

    private final FakeState state;
    private final MissionStore store;
    private final PauseListener onPause;

    MissionCaps(FakeState state, MissionStore store, PauseListener onPause) {
        this.state = state;
        this.store = store;
        this.onPause = onPause;
    }

    // ------------------------------------------------------------------ counting (used by other modules)

    /**
     * Counts one action (a credential fetch or lease grant) under a passport against its mission's caps: refused
     * with 409 {@code MISSION_PAUSED} if the mission is paused, or if counting it would pass a cap, which pauses the
     * mission. A passport without a live mission counts nothing.
     *
     * @param missionId the passport's mission, or null
     * @param service the provider slug
     * @param trace the request id
     */
    public void countAction(@Nullable String missionId, String service, @Nullable String trace) {
        count(missionId, service, 0, 0, trace);
    }

    /**
     * Counts one proxy call before it is forwarded: one action, its request body's bytes and the cents the call
     * charges ({@link #priceProxyCalls}); refused like {@link #countAction} when a cap would be passed.
     *
     * @param missionId the passport's mission, or null
     * @param service the provider slug
     * @param requestBytes the bytes of the request body forwarded upstream
     * @param trace the request id
     */
    public void countProxyCall(@Nullable String missionId, String service, long requestBytes, @Nullable String trace) {
        count(missionId, service, requestBytes, store.proxyCallCents.getOrDefault(service, 0L), trace);
    }

    /**
     * Counts a proxied response's body bytes once the upstream has answered. The call has been performed, so it is
     * not refused: if the bytes take the mission past {@code max_bytes}, the mission is paused on that cap and the
     * next counted call is refused.
     *
     * @param missionId the mission of the passport that made the call, or null
     * @param responseBytes the response body's bytes
     * @param trace the request id
     */
    public void countResponseBytes(@Nullable String missionId, long responseBytes, @Nullable String trace) {
        Mission m = missionId == null ? null : store.missions.get(missionId);
        if (m == null || m.ended()) {
            return;
        }
        m.bytes += responseBytes;
        Long maxBytes = m.limits.get("max_bytes");
        if (maxBytes != null && m.bytes > maxBytes && m.status.equals("active")) {
            pause(m, "max_bytes", null, trace);
        }
    }

    /**
     * Sets what each proxied call to a provider charges its mission (STACK meters proxy calls but publishes no
     * price; the fake charges nothing until a test sets one).
     *
     * @param provider provider slug
     * @param cents cents per call, not negative
     */
    public void priceProxyCalls(String provider, long cents) {
        if (cents < 0) {
            throw new IllegalArgumentException("cents must be >= 0");
        }
        store.proxyCallCents.put(provider, cents);
    }

    private void count(@Nullable String missionId, String service, long bytes, long cents, @Nullable String trace) {
        Mission m = missionId == null ? null : store.missions.get(missionId);
        if (m == null || m.ended()) {
            return;
        }
        if (m.status.equals("paused")) {
            throw paused(m);
        }
        Long maxSeconds = m.limits.get("max_seconds");
        if (maxSeconds != null && Duration.between(m.startedAt, state.now()).toSeconds() > maxSeconds) {
            throw pause(m, "max_seconds", null, trace);
        }
        Long maxActions = m.limits.get("max_actions");
        if (maxActions != null && m.actions + 1 > maxActions) {
            throw pause(m, "max_actions", null, trace);
        }
        Long perService = m.perService.get(service);
        if (perService != null && m.actionsByService.getOrDefault(service, 0L) + 1 > perService) {
            throw pause(m, PER_SERVICE, service, trace);
        }
        Long maxBytes = m.limits.get("max_bytes");
        if (maxBytes != null && m.bytes + bytes > maxBytes) {
            throw pause(m, "max_bytes", null, trace);
        }
        Long maxCents = m.limits.get("max_cents");
        if (maxCents != null && m.cents + cents > maxCents) {
            throw pause(m, "max_cents", null, trace);
        }
        m.actions++;
        m.actionsByService.merge(service, 1L, Long::sum);
        m.bytes += bytes;
        m.cents += cents;
    }

    private ApiError pause(Mission m, String cap, @Nullable String service, @Nullable String trace) {
        m.status = "paused";
        m.pausedCap = cap;
        m.pausedService = service;
        onPause.paused(m, trace);
        return paused(m);
    }

    /**
     * The audit details of a pause: the mission, its cap and (on the per-service cap) the service.
     *
     * @param m the mission
     * @return {@code {mission_id, paused_cap, paused_service}}
     */
    static ObjectNode capDetails(Mission m) {
        ObjectNode d = Json.object();
        d.put("mission_id", m.id);
        d.put("paused_cap", m.pausedCap);
        d.put("paused_service", m.pausedService);
        return d;
    }

    private static ApiError paused(Mission m) {
        return new ApiError(
                409,
                "MISSION_PAUSED",
                "Mission " + m.id + " is paused by its " + m.pausedCap + " cap; waiting for the owner",
                capDetails(m));
    }

    // ------------------------------------------------------------------ limits

    /**
     * Reads a start's {@code limits} object onto a new mission: each of {@link #CAPS} a positive integer, and
     * {@code max_actions_per_service} an object of at most {@value #MAX_PER_SERVICE_ENTRIES} positive integers.
     *
     * @param m the new mission
     * @param limits the {@code limits} object
     */
    static void readLimits(Mission m, Body limits) {
        for (String cap : CAPS) {
            Long v = limits.optLong(cap, 1, Long.MAX_VALUE);
            if (v != null) {
                m.limits.put(cap, v);
            }
        }
        JsonNode per = limits.raw(PER_SERVICE);
        if (per != null && !per.isNull()) {
            if (!per.isObject() || per.size() > MAX_PER_SERVICE_ENTRIES) {
                throw ApiError.invalid(
                        "limits." + PER_SERVICE,
                        "must be an object of at most " + MAX_PER_SERVICE_ENTRIES + " services");
            }
            for (Map.Entry<String, JsonNode> e : per.properties()) {
                if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 1) {
                    throw ApiError.invalid("limits." + PER_SERVICE + "." + e.getKey(), "must be a positive integer");
                }
                m.perService.put(e.getKey(), e.getValue().asLong());
            }
        }
    }

    /**
     * Sets a seeded mission's caps.
     *
     * @param id the mission
     * @param limits cap name to limit; {@code max_actions_per_service.<slug>} for a service
     */
    public void seedLimits(String id, Map<String, Long> limits) {
        Mission m = store.missions.get(id);
        if (m == null) {
            throw ApiError.notFound("Mission");
        }
        limits.forEach((k, v) -> {
            if (v == null || v < 1) {
                throw ApiError.invalid("limits." + k, "must be positive");
            }
            if (k.startsWith(PER_SERVICE + ".")) {
                m.perService.put(k.substring(PER_SERVICE.length() + 1), v);
            } else if (CAPS.contains(k)) {
                m.limits.put(k, v);
            } else {
                throw ApiError.invalid("limits." + k, "is not a cap");
            }
        });
    }

    /**
     * The owner's {@code raise} of a paused mission (§10.4.6): the cap that paused it (on the per-service cap, that
     * service's) gets the new limit, which must be above the old one, and the mission runs again.
     *
     * @param m the paused mission
     * @param limit the new limit
     */
    static void raise(Mission m, long limit) {
        String cap = m.pausedCap == null ? "max_actions" : m.pausedCap;
        Map<String, Long> target = cap.equals(PER_SERVICE) ? m.perService : m.limits;
        String key = cap.equals(PER_SERVICE) ? String.valueOf(m.pausedService) : cap;
        Long old = target.get(key);
        if (old != null && limit <= old) {
            throw ApiError.invalid("limit", "must be above the old limit " + old);
        }
        target.put(key, limit);
        resume(m);
    }

    /**
     * Lets a paused mission run again, its counts kept.
     *
     * @param m the mission
     */
    static void resume(Mission m) {
        m.status = "active";
        m.pausedCap = null;
        m.pausedService = null;
    }

    /**
     * Writes a mission's {@code limits} (with {@code max_actions_per_service} when any is set).
     *
     * @param m the mission
     * @param lim the {@code limits} object to fill
     */
    static void writeLimits(Mission m, ObjectNode lim) {
        m.limits.forEach(lim::put);
        if (!m.perService.isEmpty()) {
            ObjectNode per = lim.putObject(PER_SERVICE);
            m.perService.forEach(per::put);
        }
    }
}
