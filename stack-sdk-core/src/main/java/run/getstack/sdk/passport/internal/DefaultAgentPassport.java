package run.getstack.sdk.passport.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.cache.RefreshAheadCache;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRefreshPolicy;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/**
 * Internal, not for public use. {@link AgentPassport} on the SDK's {@link RefreshAheadCache}: the fetcher issues the
 * first passport and refreshes the held one (issuing anew if the server says the old one is too old to refresh);
 * revocation and checkout are terminal.
 */
public final class DefaultAgentPassport implements AgentPassport, PassportGuard.Listener {
    /** Internal, not for public use. Where a holder's passports come from. */
    public interface Source {
        /**
         * Obtains the first passport.
         *
         * @return the passport with its local times
         */
        Issued first();

        /**
         * Obtains a new passport when the held one is past the server's refresh window.
         *
         * @return the passport with its local times
         */
        Issued reissue();
    }

    private final String agentId;
    private final Source source;
    private final PassportRefreshPolicy policy;
    private final DefaultPassports passports;
    private final PassportGuard guard;
    private final Clock clock;
    private final DoubleSupplier random;
    private final RefreshAheadCache<Issued> cache;

    /** How many of the most recently obtained passports {@link #obtainedJtis} remembers. */
    static final int REMEMBERED_JTIS = 64;

    /**
     * The passports this holder obtained most recently, oldest first, at most {@link #REMEMBERED_JTIS}. Checking out
     * any of them ends the mission, so it ends this holder even when a refresh has replaced that passport
     * meanwhile. Guarded by itself.
     */
    private final Set<String> obtainedJtis = new LinkedHashSet<>();

    /**
     * Creates the holder; nothing is fetched until {@link #current()}.
     *
     * @param agentId the client's agent
     * @param request what to issue
     * @param policy when to refresh
     * @param passports the passport resource
     * @param guard the client's passport guard (this holder listens to it)
     * @param clock the client's clock
     * @param random uniform doubles in [0, 1) for the jitter
     */
    public DefaultAgentPassport(
            String agentId,
            PassportRequest request,
            PassportRefreshPolicy policy,
            DefaultPassports passports,
            PassportGuard guard,
            Clock clock,
            DoubleSupplier random) {
        this(
                agentId,
                issuing(agentId, Objects.requireNonNull(request, "request"), passports),
                policy,
                passports,
                guard,
                clock,
                random);
    }

    private static Source issuing(String agentId, PassportRequest request, DefaultPassports passports) {
        return new Source() {
            @Override
            public Issued first() {
                return passports.issueTimed(agentId, request);
            }

            @Override
            public Issued reissue() {
                return passports.issueTimed(agentId, request);
            }
        };
    }

    /**
     * Creates a holder over a source of passports (a mission's); nothing is fetched until {@link #current()} unless
     * {@link #seed(Issued)} gives the first.
     *
     * @param agentId the client's agent
     * @param source where passports come from
     * @param policy when to refresh
     * @param passports the passport resource
     * @param guard the client's passport guard (this holder listens to it)
     * @param clock the client's clock
     * @param random uniform doubles in [0, 1) for the jitter
     */
    public DefaultAgentPassport(
            String agentId,
            Source source,
            PassportRefreshPolicy policy,
            DefaultPassports passports,
            PassportGuard guard,
            Clock clock,
            DoubleSupplier random) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.source = Objects.requireNonNull(source, "source");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.passports = Objects.requireNonNull(passports, "passports");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.cache = RefreshAheadCache.create(
                this::fetch,
                clock,
                RefreshAheadCache.Backoff.exponential(policy.backoffBase(), policy.backoffCap(), random),
                e -> e instanceof StackPassportRevokedException || e instanceof StackPassportCheckedOutException);
        guard.addListener(this);
    }

    private RefreshAheadCache.RefreshResult<Issued> fetch(@Nullable Issued current) {
        Issued fresh;
        if (current == null) {
            fresh = source.first();
        } else {
            try {
                fresh = passports.refreshTimed(current.passport());
            } catch (StackPassportRevokedException e) {
                passports.markRevoked(current.passport());
                throw e;
            } catch (StackPassportExpiredException e) {
                // beyond the server's refresh window: start a new passport (and session)
                fresh = source.reissue();
            }
        }
        remember(fresh.passport().jti());
        RefreshAheadCache.RefreshResult<Issued> result = times(fresh);
        if (!clock.instant().isBefore(result.staleTime())) {
            // e.g. this client's clock is far ahead and the server sent no usable Date: never serve it (checked
            // against the same stale time the cache uses, so the caller gets this typed error, not the cache's)
            throw new StackPassportExpiredException(
                    "the control plane issued passport " + fresh.passport().jti()
                            + " that is already expired by this client's clock (is the clock skewed?)",
                    0,
                    "PASSPORT_EXPIRED",
                    null,
                    null,
                    null,
                    null);
        }
        return result;
    }

    private void remember(String jti) {
        synchronized (obtainedJtis) { // no I/O under this monitor
            obtainedJtis.add(jti);
            if (obtainedJtis.size() > REMEMBERED_JTIS) {
                Iterator<String> oldest = obtainedJtis.iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    private RefreshAheadCache.RefreshResult<Issued> times(Issued issued) {
        Duration lifetime = Duration.between(issued.localIssuedAt(), issued.localExpiry());
        long lifeMs = Math.max(0, lifetime.toMillis());
        double jitter = policy.jitterFraction() == 0.0 ? 0.0 : (2 * random.getAsDouble() - 1) * policy.jitterFraction();
        long prefetchMs = (long) (lifeMs * Math.min(0.99, Math.max(0.01, policy.refreshFraction() + jitter)));
        Instant prefetch = issued.localIssuedAt().plusMillis(prefetchMs);
        Duration margin = policy.expiryMargin();
        if (margin.toMillis() > lifeMs / 4) {
            margin = Duration.ofMillis(lifeMs / 4);
        }
        Instant stale = issued.localExpiry().minus(margin);
        return RefreshAheadCache.RefreshResult.of(issued, prefetch, stale);
    }

    /**
     * Holds a passport obtained elsewhere (a mission start) as the first one.
     *
     * @param issued the passport with its local times
     */
    public void seed(Issued issued) {
        remember(issued.passport().jti());
        cache.set(times(issued));
    }

    /**
     * Ends the holder: every later {@link #current()} throws {@code failure}.
     *
     * @param failure the terminal failure
     */
    public void terminate(RuntimeException failure) {
        cache.terminate(failure);
    }

    /**
     * Returns the held passport's expiry on the client's clock, terminal or not.
     *
     * @return the expiry, or null before the first passport
     */
    public @Nullable Instant heldExpiry() {
        Issued h = cache.peek();
        return h == null ? null : h.localExpiry();
    }

    @Override
    public Passport current() {
        try {
            Passport held = cache.get().passport();
            // the guard is the one record of ended passports: consult it, not only its notifications
            guard.requireNotEnded(held);
            return held;
        } catch (StackPassportRevokedException e) {
            cache.terminate(e);
            throw new StackPassportRevokedException(
                    "the agent's passport was revoked; no passport will be served again: " + e.detailMessage(),
                    e.httpStatus(),
                    "PASSPORT_REVOKED",
                    e.requestId(),
                    e.reason(),
                    null,
                    e);
        } catch (StackPassportCheckedOutException e) {
            cache.terminate(e);
            throw new StackPassportCheckedOutException(
                    "the agent's passport was checked out; no passport will be served again",
                    e.httpStatus(),
                    "PASSPORT_CHECKED_OUT",
                    e.requestId(),
                    e.reason(),
                    null,
                    e);
        } catch (StackException e) {
            Issued last = cache.peek();
            if (last == null) {
                throw e;
            }
            throw new StackPassportExpiredException(
                    "the agent's passport " + last.passport().jti() + " expired at " + last.localExpiry()
                            + " and refreshing it failed: " + e.detailMessage(),
                    0,
                    "PASSPORT_EXPIRED",
                    e.requestId(),
                    null,
                    null,
                    e);
        }
    }

    @Override
    public Optional<Passport> peek() {
        RefreshAheadCache.RefreshResult<Issued> r = cache.peekResult();
        return r == null ? Optional.empty() : Optional.of(r.value().passport());
    }

    @Override
    public Optional<Instant> expiresAt() {
        Issued h = cache.peek();
        return h == null || isTerminal() ? Optional.empty() : Optional.of(h.localExpiry());
    }

    @Override
    public boolean isTerminal() {
        if (cache.terminalFailure() != null) {
            return true;
        }
        Issued h = cache.peek();
        return h != null && guard.ended(h.passport().jti()).isPresent();
    }

    /**
     * Returns how many issue/refresh fetches were started, for tests and health.
     *
     * @return how many issue/refresh fetches were started, for tests and health
     */
    public long fetchCount() {
        return cache.fetchCount();
    }

    @Override
    public void checkedOut(String jti) {
        boolean ours;
        synchronized (obtainedJtis) {
            ours = obtainedJtis.contains(jti);
        }
        if (ours) {
            cache.terminate(new StackPassportCheckedOutException(
                    "passport " + jti + " was checked out", 0, "PASSPORT_CHECKED_OUT", null, null, null, null));
        }
    }

    @Override
    public void revoked(String jti) {
        Issued h = cache.peek();
        if (h != null && h.passport().jti().equals(jti)) {
            cache.terminate(new StackPassportRevokedException(
                    "passport " + jti + " was revoked", 0, "PASSPORT_REVOKED", null, null, null, null));
        }
    }

    @Override
    public void agentRevoked(String agentId) {
        Issued h = cache.peek();
        if (h != null && this.agentId.equals(agentId)) {
            // the held passport was live, so it is among the revoked ones: mark it (which ends this holder)
            passports.markRevoked(h.passport());
        }
    }

    @Override
    public void resigned(Passport passport, Instant localExpiry) {
        Instant now = clock.instant();
        if (localExpiry.isAfter(now)) {
            // the re-signed token's lifetime starts now (new iat), so the refresh point is a fraction of that; it
            // replaces the held passport only if that is still the one re-signed (a refresh may have won the race)
            Issued swapped = new Issued(passport, now, localExpiry);
            cache.setIf(held -> held.passport().jti().equals(passport.jti()), times(swapped));
        }
    }

    @Override
    public String toString() {
        Issued h = cache.peek();
        return "AgentPassport{agentId=" + agentId + ", jti="
                + (h == null ? null : h.passport().jti()) + ", expiresAt=" + (h == null ? null : h.localExpiry())
                + ", terminal=" + isTerminal() + '}';
    }
}
