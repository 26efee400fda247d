package run.getstack.sdk.passport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.internal.http.ResponseShapeException;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.passport.ActivePassport;
import run.getstack.sdk.passport.AgentRevocationResult;
import run.getstack.sdk.passport.CheckoutRequest;
import run.getstack.sdk.passport.CheckoutResult;
import run.getstack.sdk.passport.CheckpointRequest;
import run.getstack.sdk.passport.CheckpointResult;
import run.getstack.sdk.passport.DelegationRequest;
import run.getstack.sdk.passport.Intent;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportReport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.Passports;
import run.getstack.sdk.passport.RemoteVerification;
import run.getstack.sdk.passport.RevocationResult;
import run.getstack.sdk.passport.RevokeAll;
import run.getstack.sdk.passport.ServiceScope;
import run.getstack.sdk.passport.SessionRevocationResult;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** Internal, not for public use. {@link Passports} over the client's transport. */
public final class DefaultPassports implements Passports {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final int MAX_REASON_LENGTH = 500;
    private static final Duration MAX_SKEW = Duration.ofHours(24);

    private final Transport transport;
    private final PassportGuard guard;
    private final Clock clock;
    private final ClientEvents events;

    /**
     * Creates the resource with no one listening to its events.
     *
     * @param transport the client's transport
     * @param guard the client's passport guard
     * @param clock the client's clock
     */
    public DefaultPassports(Transport transport, PassportGuard guard, Clock clock) {
        this(transport, guard, clock, new ClientEvents());
    }

    /**
     * Creates the resource.
     *
     * @param transport the client's transport
     * @param guard the client's passport guard
     * @param clock the client's clock
     * @param events the client's event hook: passports issued, refreshed and checked out are published there
     */
    public DefaultPassports(Transport transport, PassportGuard guard, Clock clock, ClientEvents events) {
        this.transport = transport;
        this.guard = guard;
        this.clock = clock;
        this.events = Objects.requireNonNull(events, "events");
    }

    /** Publishes what happened to a passport (its jti only, never its token). */
    private void publish(
            String action, ClientEvent.Outcome outcome, @Nullable String jti, Instant started, Map<String, String> d) {
        if (events.hasSubscribers()) {
            Instant now = clock.instant();
            Duration took = Duration.between(started, now);
            events.publish(new ClientEvent(now, action, outcome, jti, took.isNegative() ? null : took, d));
        }
    }

    /**
     * Tells the event hook that a passport was issued by another call (a mission's start issues its passport).
     *
     * @param issued the passport
     * @param started when the call began
     * @param missionId the mission it was issued with
     */
    public void announceIssued(Issued issued, Instant started, String missionId) {
        publish(
                "passport.issued",
                ClientEvent.Outcome.SUCCESS,
                issued.passport().jti(),
                started,
                Map.of("mission_id", missionId));
    }

    private static Map<String, String> failureDetail(StackException e) {
        String code = e.errorCode();
        return code == null ? Map.of("error", e.getClass().getSimpleName()) : Map.of("error_code", code);
    }

    @Override
    public Passport issue(String agentId, PassportRequest request) {
        return issueTimed(agentId, request).passport();
    }

    /**
     * Issues and returns the passport with its local times.
     *
     * @param agentId the agent
     * @param request the request
     * @return the passport and its times on the client's clock
     */
    public Issued issueTimed(String agentId, PassportRequest request) {
        id("agentId", agentId);
        Objects.requireNonNull(request, "request");
        ObjectNode body = Json.object().put("agent_id", agentId);
        body.put("ttl_seconds", request.ttl().toSeconds());
        List<ServiceScope> scopes = request.scopes();
        if (scopes != null) {
            body.set("scopes", scopes(scopes));
        }
        List<String> claims = request.identityClaimIds();
        if (claims != null) {
            body.set("identity_claim_ids", strings(claims));
        }
        Intent intent = request.intent();
        if (intent != null) {
            body.set("intent", intent(intent));
        }
        Duration interval = request.checkpointInterval();
        if (interval != null) {
            body.put("checkpoint_interval_seconds", interval.toSeconds());
        }
        String missionId = request.missionId();
        if (missionId != null) {
            body.set("mission_ids", strings(List.of(missionId)));
        }
        Instant started = clock.instant();
        Issued issued;
        try {
            issued = bound(
                    transport.execute(
                            ApiRequest.post("/v1/passports/issue", body)
                                    .idempotent()
                                    .build(),
                            r -> issued(r, null)),
                    missionId);
        } catch (StackException e) {
            publish("passport.issued", ClientEvent.Outcome.FAILURE, null, started, failureDetail(e));
            throw e;
        }
        publish(
                "passport.issued",
                ClientEvent.Outcome.SUCCESS,
                issued.passport().jti(),
                started,
                Map.of());
        return issued;
    }

    /**
     * Remembers the mission of a passport just obtained: the one the server named, else {@code fallback}.
     *
     * @param issued the passport
     * @param fallback the mission it was asked for (or its parent's), or null
     * @return {@code issued}
     */
    public Issued bound(Issued issued, @Nullable String fallback) {
        String mission = issued.missionId() != null ? issued.missionId() : fallback;
        if (mission != null) {
            guard.bindMission(
                    issued.passport().jti(), mission, issued.passport().expiresAt());
        }
        return issued;
    }

    @Override
    public Passport refresh(Passport passport) {
        return refreshTimed(passport).passport();
    }

    /**
     * Refreshes and returns the passport with its local times.
     *
     * @param passport the passport to refresh
     * @return the new passport and its times on the client's clock
     */
    public Issued refreshTimed(Passport passport) {
        guard.requireNotCheckedOut(passport);
        ObjectNode body = Json.object().put("token", passport.token().revealPlaintext());
        Instant started = clock.instant();
        Issued issued;
        try {
            issued = bound(
                    presenting(
                            passport,
                            () -> transport.execute(
                                    ApiRequest.post("/v1/passports/refresh", body)
                                            .idempotent()
                                            .build(),
                                    r -> issued(r, null))),
                    guard.missionOf(passport.jti()));
        } catch (StackException e) {
            publish("passport.refreshed", ClientEvent.Outcome.FAILURE, passport.jti(), started, failureDetail(e));
            throw e;
        }
        publish(
                "passport.refreshed",
                ClientEvent.Outcome.SUCCESS,
                issued.passport().jti(),
                started,
                Map.of("previous_jti", passport.jti()));
        return issued;
    }

    /**
     * Runs a call that presents a passport; if the server answers that it is checked out or revoked (terminal), the
     * guard remembers, so the client does not present it again (each further presentation of a checked-out passport
     * would raise a {@code post_checkout_access} security event).
     */
    private <T> T presenting(Passport passport, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StackPassportCheckedOutException e) {
            guard.markCheckedOut(passport);
            throw e;
        } catch (StackPassportRevokedException e) {
            guard.markRevoked(passport.jti(), passport.expiresAt(), "the control plane answered PASSPORT_REVOKED");
            throw e;
        }
    }

    @Override
    public RemoteVerification verify(Secret token, @Nullable String serviceId) {
        Objects.requireNonNull(token, "token");
        ObjectNode body = Json.object().put("token", token.revealPlaintext());
        if (serviceId != null) {
            body.put("service_id", serviceId);
        }
        return transport.execute(
                ApiRequest.post("/v1/passports/verify", body).unauthenticated().build(), r -> {
                    JsonNode o = r.requireObject();
                    boolean valid = JsonFields.bool(o, "valid");
                    if (!valid) {
                        String reason = JsonFields.optText(o, "reason");
                        return new RemoteVerification(false, reason == null ? "unspecified" : reason, Map.of());
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> claims = Json.mapper().convertValue(JsonFields.object(o, "claims"), Map.class);
                    return new RemoteVerification(true, null, claims == null ? Map.of() : claims);
                });
    }

    @Override
    public Passport delegate(Passport parent, DelegationRequest request) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(request, "request");
        guard.requireNotCheckedOut(parent);
        checkDelegationLocally(parent, request);
        ObjectNode body = Json.object()
                .put("parent_passport_token", parent.token().revealPlaintext())
                .put("child_agent_id", request.childAgentId());
        // STACK requires the child's exact scopes; without them the child asks for the parent's own
        List<ServiceScope> scopes = request.scopes();
        if (scopes == null) {
            scopes = parentScopes(parent);
        }
        body.set("scopes", scopes(scopes));
        Duration ttl = request.ttl();
        if (ttl != null) {
            // STACK: at most the parent's remaining lifetime
            long remaining =
                    Duration.between(clock.instant(), parent.expiresAt()).toSeconds();
            if (remaining < PassportRequest.MIN_TTL.toSeconds()) {
                throw new StackInvalidRequestException(
                        "passport " + parent.jti() + " has " + Math.max(0, remaining) + " s left, less than the"
                                + " shortest child lifetime (60 s); refresh it before delegating; not sent",
                        0,
                        "INVALID_REQUEST",
                        null,
                        "ttl_exceeds_parent",
                        null,
                        null);
            }
            body.put("ttl_seconds", Math.min(ttl.toSeconds(), remaining));
        }
        Intent intent = request.intent();
        if (intent != null) {
            body.set("intent", intent(intent));
        }
        return bound(
                        presenting(
                                parent,
                                () -> transport.execute(
                                        ApiRequest.post("/v1/passports/delegate", body)
                                                .idempotent()
                                                .build(),
                                        r -> issued(r, parent.jti()))),
                        guard.missionOf(parent.jti()))
                .passport();
    }

    private static List<ServiceScope> parentScopes(Passport parent) {
        TokenClaims claims = TokenClaims.read(parent.token());
        if (claims == null) {
            throw new StackInvalidRequestException(
                    "STACK requires the child's scopes and passport " + parent.jti() + " does not show its own;"
                            + " set DelegationRequest.Builder.scopes(...); not sent",
                    0,
                    "INVALID_REQUEST",
                    null,
                    "scopes_required",
                    null,
                    null);
        }
        List<ServiceScope> out = new ArrayList<>();
        new java.util.TreeMap<>(claims.scopesByConnection())
                .forEach((conn, sc) -> out.add(new ServiceScope(conn, List.copyOf(new java.util.TreeSet<>(sc)))));
        return out;
    }

    private static void checkDelegationLocally(Passport parent, DelegationRequest request) {
        int parentDepth = parent.delegationDepth();
        TokenClaims claims = TokenClaims.read(parent.token());
        if (claims != null) {
            parentDepth = Math.max(parentDepth, claims.delegationDepth());
        }
        if (parentDepth + 1 > DelegationRequest.MAX_DELEGATION_DEPTH) {
            throw new StackInvalidRequestException(
                    "delegation from passport " + parent.jti() + " (depth " + parentDepth + ") would exceed STACK's"
                            + " maximum depth of " + DelegationRequest.MAX_DELEGATION_DEPTH + "; not sent",
                    0,
                    "DELEGATION_DEPTH_EXCEEDED",
                    null,
                    null,
                    null,
                    null);
        }
        List<ServiceScope> wanted = request.scopes();
        if (claims == null || wanted == null) {
            return;
        }
        Map<String, Set<String>> have = claims.scopesByConnection();
        for (ServiceScope s : wanted) {
            Set<String> parentScopes = have.get(s.serviceConnectionId());
            if (parentScopes == null || !parentScopes.containsAll(s.scopes())) {
                throw new StackInvalidRequestException(
                        "delegation asks for scopes on " + s.serviceConnectionId() + " that passport " + parent.jti()
                                + " does not hold; a child can only narrow its parent; not sent",
                        0,
                        "SCOPE_ESCALATION",
                        null,
                        null,
                        null,
                        null);
            }
        }
    }

    @Override
    public RevocationResult revoke(String jti, @Nullable String reason) {
        id("jti", jti);
        ObjectNode body = Json.object();
        putReason(body, reason);
        RevocationResult result = transport.execute(
                ApiRequest.post("/v1/passports/" + jti + "/revoke", body)
                        .idempotent()
                        .build(),
                r -> {
                    JsonNode o = r.requireObject();
                    return new RevocationResult(JsonFields.text(o, "jti"), JsonFields.optTextList(o, "cascaded"));
                });
        Instant forget = clock.instant().plus(PassportRequest.MAX_TTL).plus(Duration.ofHours(24));
        guard.markRevoked(jti, forget, "revoked by this client");
        for (String child : result.cascaded()) {
            guard.markRevoked(child, forget, "cascade from a parent revoked by this client");
        }
        return result;
    }

    @Override
    public AgentRevocationResult revokeAgent(String agentId, @Nullable String reason) {
        id("agentId", agentId);
        ObjectNode body = Json.object().put("agent_id", agentId);
        putReason(body, reason);
        AgentRevocationResult result = transport.execute(
                ApiRequest.post("/v1/passports/revoke-agent", body).idempotent().build(), r -> {
                    JsonNode o = r.requireObject();
                    return new AgentRevocationResult(
                            JsonFields.text(o, "agent_id"),
                            JsonFields.integer(o, "revoked_count"),
                            JsonFields.optInteger(o, "cascaded_count", 0));
                });
        guard.markAgentRevoked(agentId);
        return result;
    }

    @Override
    public SessionRevocationResult revokeSession(String sessionId, @Nullable String reason) {
        id("sessionId", sessionId);
        ObjectNode body = Json.object().put("session_id", sessionId);
        putReason(body, reason);
        return transport.execute(
                ApiRequest.post("/v1/passports/revoke-session", body)
                        .idempotent()
                        .build(),
                r -> {
                    JsonNode o = r.requireObject();
                    return new SessionRevocationResult(
                            JsonFields.text(o, "session_id"), JsonFields.integer(o, "revoked_count"));
                });
    }

    @Override
    public long revokeAll(RevokeAll confirmation) {
        Objects.requireNonNull(confirmation, "confirmation");
        ObjectNode body = Json.object().put("confirm", true);
        putReason(body, confirmation.reason());
        return transport.execute(
                ApiRequest.post("/v1/passports/revoke-all", body).idempotent().build(),
                r -> JsonFields.integer(r.requireObject(), "revoked_count"));
    }

    @Override
    public List<ActivePassport> listActive(@Nullable String agentId, @Nullable String sessionId) {
        if (agentId != null) {
            id("agentId", agentId);
        }
        if (sessionId != null) {
            id("sessionId", sessionId);
        }
        return transport.execute(
                ApiRequest.get("/v1/passports/active")
                        .query("agent_id", agentId)
                        .query("session_id", sessionId)
                        .build(),
                r -> {
                    JsonNode list = JsonFields.array(r.requireObject(), "passports");
                    List<ActivePassport> out = new ArrayList<>(list.size());
                    for (JsonNode p : list) {
                        if (!p.isObject()) {
                            throw new ResponseShapeException("field 'passports' has a non-object element");
                        }
                        long depth = JsonFields.optInteger(p, "delegation_depth", 0);
                        out.add(new ActivePassport(
                                JsonFields.text(p, "jti"),
                                JsonFields.text(p, "agent_id"),
                                JsonFields.text(p, "session_id"),
                                depthInt(depth),
                                JsonFields.optText(p, "parent_jti"),
                                JsonFields.instant(p, "issued_at"),
                                JsonFields.instant(p, "expires_at")));
                    }
                    return Collections.unmodifiableList(out);
                });
    }

    @Override
    public CheckpointResult checkpoint(Passport passport, CheckpointRequest request) {
        return checkpoint(passport, request, null);
    }

    @Override
    public PassportReport report(String jti) {
        id("jti", jti);
        return transport.execute(
                ApiRequest.get("/v1/passports/" + jti + "/report").build(),
                r -> run.getstack.sdk.mission.internal.MissionCodec.passportReport(r.requireObject()));
    }

    /**
     * Reports a checkpoint; with an idempotency key the call is retried per the client's retry policy (a scheduled
     * checkpoint reuses its key on every retry).
     *
     * @param passport the passport
     * @param request the report
     * @param idempotencyKey the key, or null for a call that is not retried
     * @return the result
     */
    public CheckpointResult checkpoint(Passport passport, CheckpointRequest request, @Nullable String idempotencyKey) {
        Objects.requireNonNull(passport, "passport");
        Objects.requireNonNull(request, "request");
        guard.requireNotCheckedOut(passport);
        ObjectNode body = Json.object();
        body.set("services_used", strings(request.servicesUsed()));
        body.put("actions_count", request.actionsCount());
        if (!request.delegatedTo().isEmpty()) {
            body.set("delegated_to", strings(request.delegatedTo()));
        }
        body.put("summary", request.summary());
        String jti = id("jti", passport.jti());
        Checkpointed done = presenting(
                passport,
                () -> transport.execute(checkpointCall(jti, body, idempotencyKey), r -> {
                    JsonNode o = r.requireObject();
                    Instant expiresAt = JsonFields.instant(o, "expires_at");
                    List<CheckpointResult.Signal> signals = new ArrayList<>();
                    JsonNode sig = o.get("signals");
                    if (sig != null && sig.isArray()) {
                        for (JsonNode s : sig) {
                            signals.add(new CheckpointResult.Signal(
                                    JsonFields.text(s, "signal_type"),
                                    JsonFields.text(s, "severity"),
                                    JsonFields.optText(s, "security_event_id"),
                                    JsonFields.text(s, "action")));
                        }
                    }
                    String token = JsonFields.optText(o, "token");
                    Passport resigned = null;
                    Instant localExpiry = null;
                    if (token != null) {
                        resigned = new Passport(
                                token(token),
                                passport.jti(),
                                passport.agentId(),
                                passport.sessionId(),
                                passport.delegationDepth(),
                                passport.parentJti(),
                                passport.issuedAt(),
                                expiresAt);
                        localExpiry = local(expiresAt, r);
                    }
                    return new Checkpointed(
                            new CheckpointResult(
                                    JsonFields.text(o, "jti"),
                                    expiresAt,
                                    JsonFields.bool(o, "accepted"),
                                    signals,
                                    resigned),
                            localExpiry);
                }));
        Passport resigned = done.result().resigned();
        Instant localExpiry = done.localExpiry();
        if (resigned != null && localExpiry != null) {
            guard.resigned(resigned, localExpiry);
        }
        return done.result();
    }

    private static ApiRequest checkpointCall(String jti, ObjectNode body, @Nullable String idempotencyKey) {
        ApiRequest.Builder b = ApiRequest.post("/v1/passports/" + jti + "/checkpoint", body);
        if (idempotencyKey != null) {
            b.idempotencyKey(idempotencyKey);
        }
        return b.build();
    }

    private record Checkpointed(
            CheckpointResult result, @Nullable Instant localExpiry) {}

    @Override
    public CheckoutResult checkout(Passport passport, CheckoutRequest request) {
        Objects.requireNonNull(passport, "passport");
        Objects.requireNonNull(request, "request");
        String jti = id("jti", passport.jti());
        ObjectNode body = Json.object().put("summary", request.summary());
        if (!request.servicesUsed().isEmpty()) {
            body.set("services_used", strings(request.servicesUsed()));
        }
        Long actions = request.actionsCount();
        if (actions != null) {
            body.put("actions_count", actions.longValue());
        }
        body.put("outcome", request.outcome() == CheckoutRequest.Outcome.SUCCESS ? "success" : "failure");
        CheckoutResult result;
        Instant started = clock.instant();
        try {
            result = transport.execute(
                    ApiRequest.post("/v1/passports/" + jti + "/checkout", body)
                            .idempotent()
                            .build(),
                    r -> {
                        JsonNode o = r.requireObject();
                        return new CheckoutResult(
                                JsonFields.text(o, "jti"),
                                JsonFields.text(o, "status"),
                                JsonFields.instant(o, "checked_out_at"));
                    });
        } catch (StackPassportCheckedOutException e) {
            // checked out before (by this or another client): terminal all the same
            guard.markCheckedOut(passport);
            publish("passport.checked_out", ClientEvent.Outcome.FAILURE, jti, started, failureDetail(e));
            throw e;
        } catch (StackException e) {
            publish("passport.checked_out", ClientEvent.Outcome.FAILURE, jti, started, failureDetail(e));
            throw e;
        }
        guard.markCheckedOut(passport);
        publish(
                "passport.checked_out",
                ClientEvent.Outcome.SUCCESS,
                jti,
                started,
                Map.of("outcome", request.outcome() == CheckoutRequest.Outcome.SUCCESS ? "success" : "failure"));
        return result;
    }

    @Override
    public void requireUsable(Passport passport) {
        guard.requireUsable(Objects.requireNonNull(passport, "passport"));
    }

    /**
     * Records that the server reported a passport revoked (for callers that saw {@code PASSPORT_REVOKED}
     * while presenting it).
     *
     * @param passport the passport
     */
    public void markRevoked(Passport passport) {
        guard.markRevoked(passport.jti(), passport.expiresAt());
    }

    /**
     * The longest lifetime accepted from the server: STACK's hard maximum is 3600 s; a day leaves room for an
     * extension without letting a wild value into the refresh arithmetic.
     */
    private static final Duration MAX_PLAUSIBLE_LIFETIME = Duration.ofDays(1);

    private Issued issued(ApiResponse r, @Nullable String parentJtiFallback) {
        return issuedFrom(r.requireObject(), r, parentJtiFallback);
    }

    /**
     * Reads an issue-shaped passport object (§3.1) from a response: the issue, refresh and delegate bodies, or the
     * {@code passport} member of a mission start (§10.4.2).
     *
     * @param o the object
     * @param r the response it came in (for its receive time and {@code Date})
     * @param parentJtiFallback the parent's jti for a delegation, else null
     * @return the passport with its local times
     */
    public Issued issuedFrom(JsonNode o, ApiResponse r, @Nullable String parentJtiFallback) {
        Secret token = token(JsonFields.text(o, "token"));
        Instant expiresAt = JsonFields.instant(o, "expires_at");
        Instant issuedAtServer = JsonFields.optInstant(o, "issued_at");
        Duration skew = skew(r);
        Instant issuedAt =
                issuedAtServer != null ? issuedAtServer : r.receivedAt().plus(skew);
        String parentJti = serverId("parent_jti", JsonFields.optText(o, "parent_jti"));
        Passport p = new Passport(
                token,
                id("jti", Objects.requireNonNull(serverId("jti", JsonFields.text(o, "jti")))),
                serverId("agent_id", JsonFields.optText(o, "agent_id")),
                serverId("session_id", JsonFields.optText(o, "session_id")),
                depthInt(JsonFields.optInteger(o, "delegation_depth", parentJtiFallback == null ? 0 : 1)),
                parentJti != null ? parentJti : parentJtiFallback,
                issuedAt,
                expiresAt);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new ResponseShapeException("field 'expires_at' is not after 'issued_at'");
        }
        // no passport lives longer than STACK's hard maximum; a wild value would also overflow the timing math
        if (Duration.between(issuedAt, expiresAt).compareTo(MAX_PLAUSIBLE_LIFETIME) > 0) {
            throw new ResponseShapeException(
                    "field 'expires_at' is more than " + MAX_PLAUSIBLE_LIFETIME.toHours() + " h after 'issued_at'");
        }
        String missionId = JsonFields.optText(o, "mission_id");
        if (missionId != null && !ID.matcher(missionId).matches()) {
            throw new ResponseShapeException("field 'mission_id' is not an id");
        }
        return new Issued(p, issuedAt.minus(skew), expiresAt.minus(skew), missionId);
    }

    /** Server time minus client time at receipt; zero without a usable {@code Date}. */
    private static Duration skew(ApiResponse r) {
        Instant serverDate = r.serverDate().orElse(null);
        if (serverDate == null) {
            return Duration.ZERO;
        }
        Duration skew = Duration.between(r.receivedAt(), serverDate);
        if (skew.abs().compareTo(MAX_SKEW) > 0) {
            return Duration.ZERO;
        }
        // the Date header has whole seconds; ignore sub-second noise
        return skew.abs().compareTo(Duration.ofSeconds(1)) <= 0 ? Duration.ZERO : skew;
    }

    private static Instant local(Instant serverTime, ApiResponse r) {
        return serverTime.minus(skew(r));
    }

    private static Secret token(String token) {
        if (token.length() > MAX_TOKEN_LENGTH || !JWS.matcher(token).matches()) {
            throw new ResponseShapeException("field 'token' is not a compact JWS of at most 16 KiB");
        }
        return Secret.of(token);
    }

    private static int depthInt(long depth) {
        if (depth < 0 || depth > 64) {
            throw new ResponseShapeException("field 'delegation_depth' is out of range");
        }
        return (int) depth;
    }

    /**
     * An identifier from a response: these reach exception messages, events and log lines, so one that carries a
     * credential (a server reflecting the caller's key) is refused as a malformed response.
     */
    private static @Nullable String serverId(String field, @Nullable String value) {
        if (value != null && ErrorMapper.carriesKeyOrJwt(value)) {
            throw new ResponseShapeException("field '" + field + "' looks like a credential");
        }
        return value;
    }

    private static String id(String name, String value) {
        Objects.requireNonNull(value, name);
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return value;
    }

    private static void putReason(ObjectNode body, @Nullable String reason) {
        if (reason != null) {
            if (reason.length() > MAX_REASON_LENGTH) {
                throw new IllegalArgumentException("reason: at most " + MAX_REASON_LENGTH + " characters");
            }
            body.put("reason", reason);
        }
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static ArrayNode scopes(List<ServiceScope> scopes) {
        ArrayNode a = Json.mapper().createArrayNode();
        for (ServiceScope s : scopes) {
            ObjectNode o = a.addObject().put("service_connection_id", s.serviceConnectionId());
            o.set("scopes", strings(s.scopes()));
        }
        return a;
    }

    private static ObjectNode intent(Intent intent) {
        ObjectNode o = Json.object().put("summary", intent.summary());
        o.set("services", strings(intent.services()));
        if (intent.willDelegate()) {
            o.put("will_delegate", true);
        }
        Duration d = intent.estimatedDuration();
        if (d != null) {
            o.put("estimated_duration_seconds", d.toSeconds());
        }
        return o;
    }
}
