package run.getstack.sdk.mission.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Sleeper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.mission.Mission;
import run.getstack.sdk.mission.MissionBody;
import run.getstack.sdk.mission.MissionInfo;
import run.getstack.sdk.mission.MissionListener;
import run.getstack.sdk.mission.MissionRecipients;
import run.getstack.sdk.mission.MissionReport;
import run.getstack.sdk.mission.MissionRequest;
import run.getstack.sdk.mission.MissionRevocation;
import run.getstack.sdk.mission.MissionStatus;
import run.getstack.sdk.mission.Missions;
import run.getstack.sdk.mission.PauseDecision;
import run.getstack.sdk.mission.RecipientPin;
import run.getstack.sdk.mission.RevokeReason;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.internal.DefaultPassports;
import run.getstack.sdk.passport.internal.Issued;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * Internal, not for public use. {@link Missions} over the client's transport. Every state it learns (an end, a pause,
 * a decision) goes to the client's {@link PassportGuard}, which every passport check consults, and to the listeners.
 */
public final class DefaultMissions implements Missions, PassportGuard.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMissions.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final int PAGE_SIZE = 50;
    private static final int MAX_NOTES = 1000;

    private final Transport transport;
    private final DefaultPassports passports;
    private final PassportGuard guard;
    private final TaskScheduler scheduler;
    private final ClientEvents events;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final PassportRefreshPolicy refreshPolicy;
    private final @Nullable String agentId;
    private final List<MissionListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, DefaultMission> held = new ConcurrentHashMap<>();

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param passports the client's passports resource
     * @param guard the client's passport guard
     * @param scheduler the client's scheduler (checkpoints)
     * @param events the client's event hook (action counts for checkpoints)
     * @param clock the client's clock
     * @param sleeper how waits for a decision sleep (interruptible)
     * @param random uniform doubles in [0, 1)
     * @param refreshPolicy when held passports are refreshed
     * @param agentId the client's agent, or null
     */
    public DefaultMissions(
            Transport transport,
            DefaultPassports passports,
            PassportGuard guard,
            TaskScheduler scheduler,
            ClientEvents events,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier random,
            PassportRefreshPolicy refreshPolicy,
            @Nullable String agentId) {
        this.transport = transport;
        this.passports = passports;
        this.guard = guard;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.refreshPolicy = refreshPolicy;
        this.agentId = agentId;
        guard.addListener(this);
    }

    @Override
    public Mission start(MissionRequest request) {
        Started s = startRaw(request);
        return hold(s.info(), s.issued());
    }

    /**
     * Starts a mission without holding it (the client's own passport holder holds its passport).
     *
     * @param request the request
     * @return the mission and its passport
     */
    public Started startRaw(MissionRequest request) {
        Objects.requireNonNull(request, "request");
        String agent = agentFor(request);
        String authority = request.authorityRequestId();
        String key = authority != null ? authority : "ms_start_" + UUID.randomUUID();
        ObjectNode body = MissionCodec.body(agent, request, true, authority);
        java.time.Instant began = clock.instant();
        Started s = transport.execute(
                ApiRequest.post("/v1/missions", body).idempotencyKey(key).build(), r -> started(r.requireObject(), r));
        passports.announceIssued(s.issued(), began, s.info().missionId());
        return s;
    }

    private Started started(JsonNode o, ApiResponse r) {
        MissionInfo info = MissionCodec.mission(o);
        JsonNode p = JsonFields.object(o, "passport");
        if (p.get("token") == null) {
            throw new ResponseShapeException("field 'passport.token' is missing from the mission start");
        }
        Issued issued = passports.issuedFrom(p, r, null);
        Passport held = issued.passport();
        if (held.agentId() == null && info.agentId() != null) {
            // the passport is the mission's: its agent is the mission's agent
            issued = new Issued(
                    new Passport(
                            held.token(),
                            held.jti(),
                            info.agentId(),
                            held.sessionId(),
                            held.delegationDepth(),
                            held.parentJti(),
                            held.issuedAt(),
                            held.expiresAt()),
                    issued.localIssuedAt(),
                    issued.localExpiry(),
                    info.missionId());
        }
        issued = passports.bound(issued, info.missionId());
        return new Started(info, issued);
    }

    /**
     * A started mission and its passport.
     *
     * @param info the mission
     * @param issued its passport with local times
     */
    public record Started(MissionInfo info, Issued issued) {}

    /**
     * Joins a mission opened elsewhere: reads it, issues its passport ({@code mission_ids}) and holds it.
     *
     * @param missionId the mission
     * @param base the passport settings (TTL, scopes, intent)
     * @return the held mission
     */
    public Mission join(String missionId, run.getstack.sdk.passport.PassportRequest base) {
        MissionInfo info = get(missionId);
        String agent = info.agentId() != null ? info.agentId() : agentId;
        if (agent == null) {
            throw new StackConfigurationException("agentId: required to get a passport for mission " + missionId);
        }
        run.getstack.sdk.passport.PassportRequest.Builder b =
                run.getstack.sdk.passport.PassportRequest.builder().from(base).missionId(missionId);
        Duration interval = info.checkpointInterval();
        if (interval != null && base.checkpointInterval() == null) {
            b.checkpointInterval(interval);
        }
        Issued issued = passports.issueTimed(agent, b.build());
        return hold(info, issued);
    }

    private DefaultMission hold(MissionInfo info, Issued issued) {
        DefaultMission m = new DefaultMission(
                this, info, issued, passports, guard, scheduler, events, clock, random, refreshPolicy);
        held.put(info.missionId(), m);
        m.startCheckpoints();
        return m;
    }

    void released(DefaultMission m) {
        held.remove(m.id(), m);
    }

    @Override
    public <E extends Exception> MissionInfo run(MissionRequest request, MissionBody<E> body) throws E {
        Objects.requireNonNull(body, "body");
        DefaultMission m = (DefaultMission) start(request);
        try {
            body.run(m);
        } catch (Exception | Error failure) {
            try {
                m.revoke(RevokeReason.OPERATOR_INITIATED_CLEAN, notesFor(failure));
            } catch (RuntimeException revokeFailed) {
                failure.addSuppressed(revokeFailed);
            } finally {
                m.stop();
            }
            DefaultMissions.<E>rethrow(failure);
            throw new IllegalStateException("unreachable", failure);
        }
        try {
            return m.complete();
        } finally {
            m.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Exception> void rethrow(Throwable t) throws E {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        // the body's signature allows only E (or unchecked) exceptions to leave it
        throw (E) t;
    }

    /** The failure as a revoke note: its type and a scrubbed excerpt of its message (never a secret). */
    static String notesFor(Throwable failure) {
        String m = failure.getMessage();
        String notes = "mission body failed: " + failure.getClass().getName()
                + (m == null ? "" : ": " + ErrorMapper.excerpt(m));
        return notes.length() > MAX_NOTES ? notes.substring(0, MAX_NOTES) : notes;
    }

    @Override
    public MissionInfo open(MissionRequest request) {
        Objects.requireNonNull(request, "request");
        ObjectNode body = MissionCodec.body(agentFor(request), request, false, null);
        return transport.execute(
                ApiRequest.post("/v1/missions/open", body).idempotent().build(),
                r -> MissionCodec.mission(r.requireObject()));
    }

    @Override
    public MissionInfo get(String missionId) {
        id(missionId);
        return apply(transport.execute(
                ApiRequest.get("/v1/missions/" + missionId).build(), r -> MissionCodec.mission(r.requireObject())));
    }

    @Override
    public Iterable<MissionInfo> list(@Nullable MissionStatus status) {
        return () -> new Pages(status);
    }

    /** Reads pages as the iteration reaches them. */
    private final class Pages implements Iterator<MissionInfo> {
        private final @Nullable MissionStatus status;
        private final Deque<MissionInfo> buffer = new ArrayDeque<>();
        private int nextPage = 1;
        private boolean more = true;

        Pages(@Nullable MissionStatus status) {
            this.status = status;
        }

        @Override
        public boolean hasNext() {
            while (buffer.isEmpty() && more) {
                int page = nextPage++;
                Page p = transport.execute(
                        ApiRequest.get("/v1/missions")
                                .query("status", status == null ? null : status.wireValue())
                                .query("page", Integer.toString(page))
                                .query("limit", Integer.toString(PAGE_SIZE))
                                .build(),
                        r -> {
                            JsonNode o = r.requireObject();
                            JsonNode arr = JsonFields.array(o, "missions");
                            if (arr.size() > 200) {
                                throw new ResponseShapeException("field 'missions' holds more than 200 missions");
                            }
                            List<MissionInfo> ms = new java.util.ArrayList<>(arr.size());
                            for (JsonNode n : arr) {
                                ms.add(MissionCodec.mission(n));
                            }
                            return new Page(ms, JsonFields.bool(o, "has_more"));
                        });
                buffer.addAll(p.missions());
                // a server that says "more" but sends nothing would loop for ever
                more = p.hasMore() && !p.missions().isEmpty();
            }
            return !buffer.isEmpty();
        }

        @Override
        public MissionInfo next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return buffer.removeFirst();
        }
    }

    private record Page(List<MissionInfo> missions, boolean hasMore) {}

    @Override
    public Mission renew(String missionId) {
        Started s = renewRaw(missionId);
        return hold(s.info(), s.issued());
    }

    /**
     * Renews without holding the new mission.
     *
     * @param missionId the mission to renew
     * @return the new mission and its passport
     */
    public Started renewRaw(String missionId) {
        id(missionId);
        Started s = transport.execute(
                ApiRequest.post("/v1/missions/" + missionId + "/renew", Json.object())
                        .idempotent()
                        .build(),
                r -> started(r.requireObject(), r));
        guard.markMissionEnded(missionId, MissionStatus.COMPLETED);
        return s;
    }

    @Override
    public MissionInfo complete(String missionId, @Nullable Object output) {
        id(missionId);
        ObjectNode body = Json.object();
        if (output != null) {
            try {
                body.set("output", Json.mapper().valueToTree(output));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "output: cannot be written as JSON ("
                                + output.getClass().getName() + ")",
                        e);
            }
        }
        return apply(transport.execute(
                ApiRequest.post("/v1/missions/" + missionId + "/complete", body)
                        .idempotent()
                        .build(),
                r -> MissionCodec.mission(r.requireObject())));
    }

    @Override
    public MissionRevocation revoke(String missionId, RevokeReason reason, @Nullable String notes) {
        id(missionId);
        Objects.requireNonNull(reason, "reason");
        ObjectNode body = Json.object().put("reason", reason.wireValue());
        if (notes != null) {
            if (notes.length() > MAX_NOTES) {
                throw new IllegalArgumentException("notes: at most " + MAX_NOTES + " characters");
            }
            body.put("notes", notes);
        }
        MissionRevocation rev = transport.execute(
                ApiRequest.post("/v1/missions/" + missionId + "/revoke", body)
                        .idempotent()
                        .build(),
                r -> MissionCodec.revocation(r.requireObject()));
        if (rev.status().isEnded()) {
            guard.markMissionEnded(missionId, rev.status());
        }
        return rev;
    }

    @Override
    public MissionInfo decide(String missionId, PauseDecision decision) {
        id(missionId);
        Objects.requireNonNull(decision, "decision");
        ObjectNode body = Json.object().put("decision", decision.kind().wireValue());
        decision.limit().ifPresent(l -> body.put("limit", l));
        return apply(transport.execute(
                ApiRequest.post("/v1/missions/" + missionId + "/review", body)
                        .idempotent()
                        .build(),
                r -> MissionCodec.mission(r.requireObject())));
    }

    @Override
    public MissionRecipients addRecipients(String missionId, List<String> recipients) {
        return addRecipients(missionId, recipients, List.of());
    }

    @Override
    public MissionRecipients addRecipients(String missionId, List<String> recipients, List<RecipientPin> pins) {
        id(missionId);
        List<String> r = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        List<RecipientPin> p = List.copyOf(Objects.requireNonNull(pins, "pins"));
        if (r.isEmpty() && p.isEmpty()) {
            throw new IllegalArgumentException("recipients: give at least one recipient or pin");
        }
        if (r.size() > MissionRequest.MAX_RECIPIENTS || r.stream().anyMatch(x -> x.isBlank() || x.length() > 320)) {
            throw new IllegalArgumentException(
                    "recipients: at most " + MissionRequest.MAX_RECIPIENTS + " values of 1 to 320 characters");
        }
        if (p.size() > MissionRequest.MAX_RECIPIENTS) {
            throw new IllegalArgumentException("pins: at most " + MissionRequest.MAX_RECIPIENTS);
        }
        ObjectNode body = Json.object();
        if (!r.isEmpty()) {
            body.set("recipients", MissionCodec.strings(r));
        }
        if (!p.isEmpty()) {
            ArrayNode a = body.putArray("recipient_pins");
            for (RecipientPin pin : p) {
                a.addObject().put("path", pin.path()).put("op", pin.op()).put("value", pin.value());
            }
        }
        // an add merges and removes nothing, so a repeat changes nothing: safe to retry
        return transport.execute(
                ApiRequest.post("/v1/missions/" + missionId + "/recipients", body)
                        .idempotent()
                        .build(),
                resp -> MissionCodec.recipients(resp.requireObject()));
    }

    @Override
    public MissionReport report(String missionId) {
        id(missionId);
        return transport.execute(
                ApiRequest.get("/v1/missions/" + missionId + "/report").build(),
                r -> MissionCodec.missionReport(r.requireObject()));
    }

    @Override
    public void addListener(MissionListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Acts on a mission state read from the control plane: an end revokes its passports in the guard, a pause
     * refuses them, a decision lets them go on.
     *
     * @param info the mission
     * @return {@code info}
     */
    MissionInfo apply(MissionInfo info) {
        String id = info.missionId();
        DefaultMission m = held.get(id);
        if (m != null) {
            m.seen(info);
        }
        switch (info.status()) {
            case COMPLETED, REVOKED -> guard.markMissionEnded(id, info.status());
            case PAUSED -> {
                if (guard.pauseOf(id) == null) {
                    guard.markMissionPaused(new StackMissionPausedException(
                            "mission " + id + " is paused by its " + info.pausedCap() + " cap",
                            0,
                            "MISSION_PAUSED",
                            null,
                            id,
                            info.pausedCap(),
                            info.pausedService(),
                            null,
                            null));
                }
            }
            case ACTIVE -> {
                if (guard.pauseOf(id) != null) {
                    guard.markMissionResumed(id);
                    notify(id, l -> l.resumed(info));
                }
            }
        }
        return info;
    }

    /**
     * Waits for a paused mission's decision by reading it until it is not paused or the time is up.
     *
     * @param missionId the mission
     * @param timeout the longest wait
     * @return the mission as last read
     */
    MissionInfo awaitDecision(String missionId, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: must not be negative");
        }
        java.time.Instant deadline = clock.instant().plus(timeout);
        Duration poll = Duration.ofSeconds(1);
        while (true) {
            MissionInfo info = get(missionId);
            Duration left = Duration.between(clock.instant(), deadline);
            if (info.status() != MissionStatus.PAUSED || left.isNegative() || left.isZero()) {
                return info;
            }
            try {
                sleeper.sleep(poll.compareTo(left) < 0 ? poll : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new run.getstack.sdk.StackInterruptedException(
                        "interrupted while waiting for the owner's decision on mission " + missionId, null, e);
            }
            poll = poll.multipliedBy(2).compareTo(MAX_DECISION_POLL) > 0 ? MAX_DECISION_POLL : poll.multipliedBy(2);
        }
    }

    /** The longest pause between two reads of a paused mission. */
    static final Duration MAX_DECISION_POLL = Duration.ofSeconds(10);

    void notify(String missionId, Consumer<MissionListener> call) {
        DefaultMission m = held.get(missionId);
        List<MissionListener> own = m == null ? List.of() : m.listeners();
        for (List<MissionListener> ls : List.of(listeners, own)) {
            for (MissionListener l : ls) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    LOG.warn("a mission listener failed: {}", e.getClass().getName());
                }
            }
        }
    }

    @Override
    public void checkedOut(String jti) {}

    @Override
    public void revoked(String jti) {}

    @Override
    public void agentRevoked(String agentId) {}

    @Override
    public void resigned(Passport passport, java.time.Instant localExpiry) {}

    @Override
    public void missionPaused(String missionId, StackMissionPausedException pause) {
        notify(missionId, l -> l.paused(missionId, pause));
    }

    @Override
    public void missionEnded(String missionId, MissionStatus status) {
        notify(missionId, l -> l.ended(missionId, status));
        DefaultMission m = held.get(missionId);
        if (m != null) {
            m.stop();
        }
    }

    private String agentFor(MissionRequest request) {
        String agent = request.agentId() != null ? request.agentId() : agentId;
        if (agent == null) {
            throw new StackConfigurationException(
                    "agentId: a mission needs an agent: set StackClient.Builder.agentId or MissionRequest.Builder.agentId");
        }
        return agent;
    }

    private static void id(String missionId) {
        Objects.requireNonNull(missionId, "missionId");
        if (!ID.matcher(missionId).matches()) {
            throw new IllegalArgumentException("missionId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
    }
}
