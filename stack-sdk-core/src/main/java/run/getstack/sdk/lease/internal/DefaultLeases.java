package run.getstack.sdk.lease.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.credential.internal.CapabilityContext;
import run.getstack.sdk.credential.internal.CredentialJson;
import run.getstack.sdk.credential.internal.DefaultCredentials;
import run.getstack.sdk.internal.cache.RefreshAheadCache;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.http.ApiRequest;
import run.getstack.sdk.internal.http.ApiResponse;
import run.getstack.sdk.internal.http.Json;
import run.getstack.sdk.internal.http.JsonFields;
import run.getstack.sdk.lease.Lease;
import run.getstack.sdk.lease.LeaseListener;
import run.getstack.sdk.lease.LeaseRequest;
import run.getstack.sdk.lease.Leases;
import run.getstack.sdk.lease.ManagedCredential;
import run.getstack.sdk.lease.StackLeaseRevokedException;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.revocation.StackRevocationUnknownException;

/**
 * Internal, not for public use. The lease manager behind {@link Leases} (wire protocol §5 and §11).
 *
 * <p>One {@link RefreshAheadCache} per leased credential holds its current {@link Grant}: its prefetch time is the
 * renewal point (a jittered 2/3 of the time left when the grant was obtained or renewed), its stale time the expiry
 * on this client's clock. The cache gives single flight (concurrent acquires send one request), reuse until the
 * renewal point, a failed renewal that keeps serving the lease until expiry with backoff bounded by the time left,
 * and a typed error once nothing live is left. The fetcher renews the current grant while renewal can extend it and
 * otherwise acquires a new one, which overlaps the old: holds on the old grant keep it until they close.
 *
 * <p>Grants are reference-counted by their holds ({@link DefaultLease}); the last close releases the grant on the
 * control plane. Revocation and checkout of a passport (seen through the {@link PassportGuard}) end every grant under
 * it at once, values zeroed first, and release them remotely in the background; {@link #close()} ends and releases
 * all of them.
 */
public final class DefaultLeases implements Leases, PassportGuard.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultLeases.class);

    /** Where the renewal point falls in the time left: 2/3, jittered by ±{@link #JITTER}. */
    static final double RENEW_FRACTION = 2.0 / 3.0;

    static final double JITTER = 0.05;

    /** Backoff of a failed renewal: 1 s doubling to 30 s, never more than half the time left. */
    static final Duration BACKOFF_BASE = Duration.ofSeconds(1);

    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);

    private static final SecureRandom LOCAL_IDS = new SecureRandom();

    /** The total time {@link #close()} spends releasing leases on the control plane. */
    public static final Duration CLOSE_BUDGET = Duration.ofSeconds(5);

    /** Less time than this left of the close budget: the remaining releases are not attempted. */
    private static final Duration MIN_RELEASE_LIMIT = Duration.ofMillis(50);

    private volatile Duration closeBudget = CLOSE_BUDGET;

    private final CapabilityContext ctx;
    private final DefaultCredentials credentials;
    private final Map<LeaseRequest, LeaseEntry> entries = new ConcurrentHashMap<>();
    private final Set<Grant> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RefreshAheadCache.Backoff backoff;

    /** Set once a lease endpoint answered 404/405: from then on leases are local for the client's lifetime. */
    private volatile boolean extensionAbsent;

    /**
     * Creates the manager and registers it with the passport guard.
     *
     * @param ctx the shared context
     * @param credentials the credential resource (for local leases)
     */
    public DefaultLeases(CapabilityContext ctx, DefaultCredentials credentials) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.backoff = RefreshAheadCache.Backoff.exponential(BACKOFF_BASE, BACKOFF_CAP, ctx.random());
        ctx.guard().addListener(this);
    }

    Instant now() {
        return ctx.now();
    }

    CapabilityContext ctx() {
        return ctx;
    }

    RefreshAheadCache.Backoff backoff() {
        return backoff;
    }

    /**
     * Returns whether the control plane was found without lease endpoints.
     *
     * @return true once leases became local
     */
    public boolean extensionAbsent() {
        return extensionAbsent;
    }

    @Override
    public Lease acquire(LeaseRequest request) {
        Objects.requireNonNull(request, "request");
        return hold(entryFor(request));
    }

    @Override
    public ManagedCredential managed(LeaseRequest request, LeaseListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        LeaseEntry entry = entryFor(request);
        DefaultLease first = hold(entry);
        return new DefaultManagedCredential(this, entry, first, listener);
    }

    private LeaseEntry entryFor(LeaseRequest request) {
        requireOpen();
        // the local checks come first: a refused request is never sent, and never cached as a failure
        Passport p = ctx.currentPassport();
        String connection = request.connectionId();
        if (connection != null) {
            ctx.requireConnectionInScope(p, connection, "lease");
        } else {
            ctx.requireProviderInScope(p, Objects.requireNonNull(request.provider()), "lease");
        }
        // LeaseRequest's equality ignores the purpose: one entry per credential and TTL
        LeaseEntry known = entries.get(request);
        if (known != null) {
            return known;
        }
        return entries.computeIfAbsent(request, k -> {
            LeaseEntry e = new LeaseEntry(request);
            e.cache(RefreshAheadCache.create(
                    current -> fetch(e, current),
                    ctx.clock(),
                    backoff,
                    x -> x instanceof StackPassportRevokedException || x instanceof StackPassportCheckedOutException));
            return e;
        });
    }

    /** Gets the entry's current grant (fetching as the cache decides) and adds a hold on it. */
    DefaultLease hold(LeaseEntry entry) {
        for (int attempt = 0; ; attempt++) {
            requireOpen();
            // A pause is the mission's state, not the credential's. The passport guard refuses locally while the
            // mission is paused, so a pause still remembered here is one the owner has decided since: fetch now
            // rather than serve the stale refusal for the rest of the failure backoff.
            Grant g = entry.cache().lastFailure() instanceof StackMissionPausedException
                    ? entry.cache().refresh()
                    : entry.cache().get();
            if (g.retain()) {
                return new DefaultLease(g, this);
            }
            // the grant ended between the cache read and the hold (its last hold closed): drop it and fetch again
            entry.cache().invalidateIf(x -> x == g);
            if (attempt >= 8) {
                throw new StackException("could not hold a lease for " + entry.request + ": it kept ending");
            }
        }
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new StackLeaseRevokedException(
                    "the client is closed; no lease is acquired", StackLeaseRevokedException.Why.CLIENT_CLOSED, null);
        }
    }

    // ------------------------------------------------------------------ fetching

    private RefreshAheadCache.RefreshResult<Grant> fetch(LeaseEntry entry, @Nullable Grant current) {
        if (closed.get()) {
            throw new StackLeaseRevokedException(
                    "the client is closed", StackLeaseRevokedException.Why.CLIENT_CLOSED, null);
        }
        Passport p;
        try {
            p = ctx.currentPassport();
        } catch (StackRevocationUnknownException e) {
            if (current != null) {
                // a renewal past the staleness bound with no answer fails closed like an acquire: the grant stops
                // serving at once (holders and the managed lease see REVOCATION_UNKNOWN), never kept to its expiry
                endAndRelease(current, StackLeaseRevokedException.Why.REVOCATION_UNKNOWN, true);
                throw new RefreshAheadCache.CacheInvalidatingException(e);
            }
            throw e;
        }
        Instant now = ctx.now();
        if (current != null
                && current.ended == null
                && !current.local
                && current.renewable
                && now.isBefore(current.localExpiry)
                && !nearCeiling(entry, current, now)
                && current.replacement == null) {
            try {
                renew(current, p);
                return times(current);
            } catch (StackPassportRevokedException | StackPassportCheckedOutException e) {
                throw new RefreshAheadCache.CacheInvalidatingException(ctx.refusal(e, p, "lease renewal"));
            } catch (StackApiException e) {
                if (!renewalRefused(e)) {
                    throw e; // network trouble, 5xx, 429: keep serving until expiry; the cache backs off
                }
                // refused (released, expired, not found): replace it now, overlapping the old one
            }
        }
        Grant fresh = acquireRemote(entry, p);
        if (current != null && current != fresh) {
            supersede(current);
        }
        return times(fresh);
    }

    private static boolean renewalRefused(StackApiException e) {
        String code = e.errorCode();
        return e.httpStatus() == 404
                || e.httpStatus() == 410
                || e.httpStatus() == 405
                || "LEASE_NOT_FOUND".equals(code)
                || "LEASE_EXPIRED".equals(code);
    }

    /** The ceiling is near when renewing cannot extend the lease by a third of the requested TTL any more. */
    private static boolean nearCeiling(LeaseEntry entry, Grant g, Instant now) {
        Duration toCeiling = Duration.between(now, g.localMaxExpiry);
        return toCeiling.compareTo(entry.request.ttl().dividedBy(3)) < 0;
    }

    private RefreshAheadCache.RefreshResult<Grant> times(Grant g) {
        Instant now = ctx.now();
        Instant expiry = g.localExpiry;
        long leftMs = Math.max(0, Duration.between(now, expiry).toMillis());
        double r = ctx.random().getAsDouble();
        double fraction = RENEW_FRACTION + (2 * (r >= 0 && r < 1 ? r : 0.5) - 1) * JITTER;
        Instant prefetch = now.plusMillis((long) (leftMs * fraction));
        return RefreshAheadCache.RefreshResult.of(g, prefetch, expiry);
    }

    private void renew(Grant g, Passport p) {
        String id = Objects.requireNonNull(g.leaseId());
        ObjectNode body = Json.object();
        body.put("ttl_seconds", g.entry.request.ttl().toSeconds());
        ApiRequest request = ApiRequest.post("/v1/leases/" + id + "/renew", body)
                .displayPath("/v1/leases/{" + g.fingerprint + "}/renew") // the raw id is a secret
                .passportToken(p.token())
                .idempotent()
                .build();
        Instant start = ctx.now();
        try {
            ApiResponse r = ctx.transport().execute(request);
            JsonNode o = r.requireObject();
            Instant expires = JsonFields.instant(o, "expires_at");
            long ttl = JsonFields.integer(o, "ttl_seconds");
            boolean renewable = JsonFields.bool(o, "renewable");
            Instant local = r.receivedAt().plusSeconds(Math.max(0, ttl));
            g.expiresAt = expires;
            if (local.isAfter(g.localExpiry)) {
                g.localExpiry = local;
            }
            g.renewable = renewable;
        } catch (run.getstack.sdk.internal.http.ResponseShapeException e) {
            throw new run.getstack.sdk.StackMalformedResponseException(
                    "unexpected lease renewal response: " + e.getMessage(), 200, null, null);
        } catch (StackException e) {
            publish("lease.renewal_failed", ClientEvent.Outcome.FAILURE, g, start, e.errorCode());
            throw e;
        }
        LOG.debug("renewed lease {} ({}) until {}, renewable {}", g.fingerprint, g.provider, g.expiresAt, g.renewable);
        publish("lease.renewed", ClientEvent.Outcome.SUCCESS, g, start, null);
    }

    private Grant acquireRemote(LeaseEntry entry, Passport p) {
        if (extensionAbsent) {
            return acquireLocal(entry, p);
        }
        LeaseRequest req = entry.request;
        ObjectNode body = Json.object();
        if (req.connectionId() != null) {
            body.put("service_connection_id", req.connectionId());
        } else {
            body.put("provider", req.provider());
        }
        body.put("ttl_seconds", req.ttl().toSeconds());
        if (req.purpose() != null) {
            body.put("purpose", req.purpose());
        }
        ApiRequest request = ApiRequest.post("/v1/leases", body)
                .passportToken(p.token())
                .idempotent()
                .build();
        Instant start = ctx.now();
        Grant g;
        try {
            g = ctx.transport().execute(request, r -> grantFrom(entry, r, p));
        } catch (StackApiException e) {
            if (e.httpStatus() == 405 || (e.httpStatus() == 404 && !"LEASE_NOT_FOUND".equals(e.errorCode()))) {
                // STACK without the lease extension, or a provider that is not connected: a plain read tells
                return probeWithoutExtension(entry, p, e);
            }
            publish("lease.acquire", ClientEvent.Outcome.FAILURE, null, entry, p.jti(), start, e.errorCode());
            throw ctx.refusal(e, p, "lease");
        } catch (StackException e) {
            publish("lease.acquire", ClientEvent.Outcome.FAILURE, null, entry, p.jti(), start, e.errorCode());
            throw e;
        }
        live.add(g);
        if (closed.get()) {
            endAndRelease(g, StackLeaseRevokedException.Why.CLIENT_CLOSED, false);
            requireOpen();
        }
        endIfPassportEnded(g, p);
        LOG.debug(
                "acquired lease {} ({}, connection {}) until {}, ceiling {}",
                g.fingerprint,
                g.provider,
                g.connectionId,
                g.expiresAt,
                g.maxExpiresAt);
        publish("lease.acquired", ClientEvent.Outcome.SUCCESS, g, start, null);
        return g;
    }

    /**
     * A revocation or checkout sweeps the live grants; one that happened while this grant was in flight (granted
     * but not yet in {@code live}) did not see it. Asks the guard once the grant is in {@code live}, ends it if its
     * passport ended, and throws the passport's typed error.
     */
    private void endIfPassportEnded(Grant g, Passport p) {
        StackLeaseRevokedException.Why why = ctx.guard().isCheckedOut(g.passportJti)
                ? StackLeaseRevokedException.Why.PASSPORT_CHECKED_OUT
                : ctx.guard().isRevoked(g.passportJti) ? StackLeaseRevokedException.Why.PASSPORT_REVOKED : null;
        if (why == null) {
            return;
        }
        endAndRelease(g, why, true);
        ctx.guard().requireUsable(p); // throws the checked-out or revoked error
        throw new StackLeaseRevokedException("the passport of this lease ended while it was granted", why, null);
    }

    private Grant probeWithoutExtension(LeaseEntry entry, Passport p, StackApiException notFound) {
        Grant g = acquireLocal(entry, p); // throws the plain read's error (e.g. 404 for a provider not connected)
        if (!extensionAbsent) {
            extensionAbsent = true;
            LOG.info(
                    "the control plane has no lease endpoints (POST /v1/leases answered {}); leases are local,"
                            + " non-renewable wraps of GET /v1/credentials for this client's lifetime",
                    notFound.httpStatus());
            ctx.publish(
                    "lease.extension_absent",
                    ClientEvent.Outcome.SUCCESS,
                    p.jti(),
                    null,
                    Map.of("status", Integer.toString(notFound.httpStatus())));
        }
        return g;
    }

    private Grant grantFrom(LeaseEntry entry, ApiResponse r, Passport p) {
        JsonNode o = r.requireObject();
        String id = JsonFields.text(o, "lease_id");
        if (id.isEmpty() || id.length() > 255) {
            throw new run.getstack.sdk.internal.http.ResponseShapeException("field 'lease_id' is empty or too long");
        }
        Instant issued = JsonFields.instant(o, "issued_at");
        Instant expires = JsonFields.instant(o, "expires_at");
        Instant max = JsonFields.instant(o, "max_expires_at");
        long ttl = JsonFields.integer(o, "ttl_seconds");
        if (ttl < 0 || ttl > 86_400 || max.isBefore(expires)) {
            throw new run.getstack.sdk.internal.http.ResponseShapeException(
                    "lease times are inconsistent (ttl_seconds out of range or max_expires_at before expires_at)");
        }
        Instant localExpiry = r.receivedAt().plusSeconds(ttl);
        Instant localMax = localExpiry.plus(Duration.between(expires, max));
        // revocation and checkout end grants by this jti: a grant recorded under another passport would escape them
        String jti = JsonFields.optText(o, "passport_jti");
        if (jti != null && !jti.equals(p.jti())) {
            throw new run.getstack.sdk.internal.http.ResponseShapeException(
                    "field 'passport_jti' is not the jti of the passport that asked for the lease");
        }
        // printed in logs, toString and audit events: plain identifiers only (the value is never echoed)
        String provider = JsonFields.text(o, "provider");
        if (!CapabilityContext.plainProvider(provider)) {
            throw new run.getstack.sdk.internal.http.ResponseShapeException(
                    "field 'provider' is not a provider slug of 1 to 128 characters of [A-Za-z0-9_.-]");
        }
        String connectionId = JsonFields.optText(o, "service_connection_id");
        if (connectionId != null && !CapabilityContext.plainConnectionId(connectionId)) {
            throw new run.getstack.sdk.internal.http.ResponseShapeException(
                    "field 'service_connection_id' is not an id of 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return new Grant(
                entry,
                id,
                id,
                provider,
                connectionId,
                p.jti(),
                issued,
                expires,
                max,
                localExpiry,
                localMax,
                JsonFields.bool(o, "renewable"),
                false,
                CredentialJson.read(o));
    }

    private Grant acquireLocal(LeaseEntry entry, Passport p) {
        LeaseRequest req = entry.request;
        Instant start = ctx.now();
        DefaultCredentials.Fetched f;
        try {
            f = credentials.fetchChecked(p, req.provider(), req.connectionId());
        } catch (StackException e) {
            publish("lease.acquire", ClientEvent.Outcome.FAILURE, null, entry, p.jti(), start, e.errorCode());
            throw e;
        }
        Instant now = ctx.now();
        Instant expires = now.plus(req.ttl());
        if (p.expiresAt().isBefore(expires)) {
            expires = p.expiresAt(); // a lease never outlives the passport it was read under
        }
        byte[] id = new byte[16];
        LOCAL_IDS.nextBytes(id);
        Grant g = new Grant(
                entry,
                null,
                "local_" + HexFormat.of().formatHex(id),
                f.provider(),
                req.connectionId(),
                p.jti(),
                now,
                expires,
                expires,
                expires,
                expires,
                false,
                true,
                f.value());
        live.add(g);
        endIfPassportEnded(g, p);
        publish("lease.acquired", ClientEvent.Outcome.SUCCESS, g, start, null);
        return g;
    }

    // ------------------------------------------------------------------ holds, release, invalidate

    /** A grant replaced in its cache: released now if nobody holds it, else when its last hold closes. */
    private void supersede(Grant old) {
        if (old.endIfUnheld(StackLeaseRevokedException.Why.RELEASED)) {
            releaseRemote(old, false);
        }
    }

    void dropHold(Grant g) {
        if (g.dropHold()) {
            g.entry.cache().invalidateIf(x -> x == g);
            releaseRemote(g, false);
        }
    }

    Lease invalidate(DefaultLease lease) {
        Grant g = lease.grant;
        LeaseEntry entry = g.entry;
        try {
            entry.invalidateLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackInterruptedException("interrupted while replacing a lease", null, e);
        }
        try {
            Grant done = g.replacement;
            if (done != null && done.retain()) {
                return new DefaultLease(done, this);
            }
            entry.cache().invalidateIf(x -> x == g);
            DefaultLease next = hold(entry);
            g.replacement = next.grant;
            ctx.publish(
                    "lease.invalidated",
                    ClientEvent.Outcome.SUCCESS,
                    g.passportJti,
                    null,
                    Map.of("provider", g.provider, "lease", g.fingerprint, "replacement", next.grant.fingerprint));
            return next;
        } finally {
            entry.invalidateLock.unlock();
        }
    }

    private void endAndRelease(Grant g, StackLeaseRevokedException.Why why, boolean background) {
        if (endLocally(g, why)) {
            releaseRemote(g, background);
        }
    }

    /** Ends a grant here (value zeroed, no longer served); true if this call ended it. */
    private boolean endLocally(Grant g, StackLeaseRevokedException.Why why) {
        if (!g.endNow(why)) {
            return false;
        }
        g.entry.cache().invalidateIf(x -> x == g);
        if (why != StackLeaseRevokedException.Why.RELEASED && why != StackLeaseRevokedException.Why.CLOSED) {
            ctx.publish(
                    "lease.revoked",
                    ClientEvent.Outcome.SUCCESS,
                    g.passportJti,
                    null,
                    Map.of("provider", g.provider, "lease", g.fingerprint, "why", why.name()));
        }
        return true;
    }

    /** Releases an ended grant on the control plane (idempotent there); failures are logged without the id. */
    private void releaseRemote(Grant g, boolean background) {
        live.remove(g); // no longer live from now on, whenever the background release runs
        if (background && !ctx.scheduler().isClosed()) {
            try {
                ctx.scheduler().submit("lease-release", () -> releaseNow(g, null));
                return;
            } catch (IllegalStateException e) {
                // the scheduler closed meanwhile: release on this thread
            }
        }
        releaseNow(g, null);
    }

    /**
     * Releases an ended grant on this thread, within {@code limit} when given (it replaces the client's timeouts and
     * retry budget); true if released (or nothing to release remotely).
     */
    private boolean releaseNow(Grant g, @Nullable Duration limit) {
        live.remove(g);
        String id = g.leaseId();
        if (g.local || id == null) {
            publish("lease.released", ClientEvent.Outcome.SUCCESS, g, ctx.now(), null);
            return true;
        }
        Instant start = ctx.now();
        try {
            ApiRequest.Builder request = ApiRequest.delete("/v1/leases/" + id)
                    .displayPath("/v1/leases/{" + g.fingerprint + "}"); // the raw id is a secret
            if (limit != null) {
                request.timeout(limit);
            }
            ctx.transport().execute(request.build());
            LOG.debug("released lease {} ({})", g.fingerprint, g.provider);
            publish("lease.released", ClientEvent.Outcome.SUCCESS, g, start, null);
            return true;
        } catch (StackException e) {
            LOG.warn(
                    "releasing lease {} ({}) failed; it ends at its expiry {}: {}",
                    g.fingerprint,
                    g.provider,
                    g.expiresAt,
                    e.getClass().getSimpleName() + (e.errorCode() == null ? "" : " " + e.errorCode()));
            publish("lease.released", ClientEvent.Outcome.FAILURE, g, start, e.errorCode());
            return false;
        }
    }

    // ------------------------------------------------------------------ passport guard

    @Override
    public void checkedOut(String jti) {
        endAll(g -> g.passportJti.equals(jti), StackLeaseRevokedException.Why.PASSPORT_CHECKED_OUT);
    }

    @Override
    public void revoked(String jti) {
        endAll(g -> g.passportJti.equals(jti), StackLeaseRevokedException.Why.PASSPORT_REVOKED);
    }

    @Override
    public void agentRevoked(String agentId) {
        endAll(g -> true, StackLeaseRevokedException.Why.PASSPORT_REVOKED);
    }

    @Override
    public void resigned(Passport passport, Instant localExpiry) {
        // a checkpoint re-signs the same passport: its leases stay
    }

    private void endAll(java.util.function.Predicate<Grant> which, StackLeaseRevokedException.Why why) {
        List<Grant> ending = live.stream().filter(which).toList();
        // zero every value and stop serving first, release remotely second (in the background)
        ending.forEach(g -> {
            if (g.endNow(why)) {
                g.entry.cache().invalidateIf(x -> x == g);
                ctx.publish(
                        "lease.revoked",
                        ClientEvent.Outcome.SUCCESS,
                        g.passportJti,
                        null,
                        Map.of("provider", g.provider, "lease", g.fingerprint, "why", why.name()));
                releaseRemote(g, true);
            }
        });
    }

    /**
     * Ends every lease (all values zeroed and no longer served first), then releases them on the control plane, on
     * this thread, within {@link #CLOSE_BUDGET} in all on the client's clock: each release gets what is left of it as
     * its own time limit, and what is left unreleased when it is spent (the control plane unreachable, say) is not
     * asked for and is reported in one warning by count and provider (never by lease id); those leases end at their
     * expiry on the control plane. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Grant> ended = new ArrayList<>();
        for (Grant g : List.copyOf(live)) {
            if (endLocally(g, StackLeaseRevokedException.Why.CLIENT_CLOSED)) {
                ended.add(g);
            }
        }
        entries.clear();
        Instant deadline = ctx.now().plus(closeBudget);
        Map<String, Integer> unreleased = new TreeMap<>();
        int failed = 0;
        for (Grant g : ended) {
            Duration left = Duration.between(ctx.now(), deadline);
            boolean released;
            if (left.compareTo(MIN_RELEASE_LIMIT) < 0) {
                live.remove(g);
                publish("lease.released", ClientEvent.Outcome.FAILURE, g, ctx.now(), "CLOSE_DEADLINE");
                released = false;
            } else {
                released = releaseNow(g, left);
            }
            if (!released) {
                failed++;
                unreleased.merge(g.provider, 1, Integer::sum);
            }
        }
        if (failed > 0) {
            LOG.warn(
                    "closing the client: {} of {} leases could not be released within {} (by provider: {}); each"
                            + " ends at its expiry on the control plane",
                    failed,
                    ended.size(),
                    closeBudget,
                    unreleased);
        }
    }

    /** Test seam: sets the total time {@link #close()} spends releasing leases. */
    void closeBudget(Duration budget) {
        this.closeBudget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Returns the grants not yet ended, for tests.
     *
     * @return how many
     */
    public int liveCount() {
        return live.size();
    }

    // ------------------------------------------------------------------ events

    private void publish(
            String action, ClientEvent.Outcome outcome, Grant g, Instant start, @Nullable String errorCode) {
        publish(action, outcome, g, g.entry, g.passportJti, start, errorCode);
    }

    private void publish(
            String action,
            ClientEvent.Outcome outcome,
            @Nullable Grant g,
            LeaseEntry entry,
            String jti,
            Instant start,
            @Nullable String errorCode) {
        Map<String, String> d = new LinkedHashMap<>();
        String provider = g != null ? g.provider : entry.request.provider();
        if (provider != null) {
            d.put("provider", provider);
        }
        String conn = g != null ? g.connectionId : entry.request.connectionId();
        if (conn != null) {
            d.put("connection_id", conn);
        }
        if (g != null) {
            d.put("lease", g.fingerprint);
            d.put("origin", g.local ? "local" : "remote");
            d.put("expires_at", g.expiresAt.toString());
        }
        if (errorCode != null) {
            d.put("error_code", errorCode);
        }
        ctx.publish(action, outcome, jti, Duration.between(start, ctx.now()), d);
    }

    @Override
    public String toString() {
        return "DefaultLeases{entries=" + entries.size() + ", live=" + live.size() + ", extensionAbsent="
                + extensionAbsent + ", closed=" + closed.get() + '}';
    }
}
