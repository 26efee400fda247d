package run.getstack.sdk.credential.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackPermissionException;
import run.getstack.sdk.credential.StackCredentialOutsideScopeException;
import run.getstack.sdk.credential.StackProxyOnlyException;
import run.getstack.sdk.internal.events.ClientEvent;
import run.getstack.sdk.internal.events.ClientEvents;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.internal.http.Transport;
import run.getstack.sdk.internal.scheduler.TaskScheduler;
import run.getstack.sdk.passport.AgentPassport;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportRevokedException;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.passport.internal.TokenClaims;

/**
 * Internal, not for public use. What the credential, lease and proxy resources share: the client's transport, the
 * agent's passport, the passport guard, clock, scheduler, random source and event hook; the local checks made before
 * a request (passport scope, connection ids) and the mapping of the server's refusals to typed errors.
 */
public final class CapabilityContext {
    private static final Pattern PROVIDER = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Transport transport;
    private final Supplier<AgentPassport> passport;
    private final PassportGuard guard;
    private final Clock clock;
    private final ClientEvents events;
    private final TaskScheduler scheduler;
    private final DoubleSupplier random;
    private final Consumer<Passport> beforePresenting;

    /**
     * The claims of the last passport checked: one passport serves many calls, its token is parsed once (keyed by
     * jti: a checkpoint re-sign keeps the services).
     */
    private volatile @Nullable ParsedClaims lastClaims;

    /** A passport and its claims (null when unreadable). */
    private record ParsedClaims(Passport passport, @Nullable TokenClaims claims) {}

    /**
     * Creates the context.
     *
     * @param transport the client's transport
     * @param passport the agent's passport holder (may throw the configuration error when there is none)
     * @param guard the client's passport guard
     * @param clock the client's clock
     * @param events the client's event hook
     * @param scheduler the client's scheduler
     * @param random uniform doubles in [0, 1) for jitter
     */
    public CapabilityContext(
            Transport transport,
            Supplier<AgentPassport> passport,
            PassportGuard guard,
            Clock clock,
            ClientEvents events,
            TaskScheduler scheduler,
            DoubleSupplier random) {
        this(transport, passport, guard, clock, events, scheduler, random, p -> {});
    }

    /**
     * Creates the context with a check run on the agent's passport before every credential, lease and proxy call,
     * after the guard's (the revocation follower's staleness bound).
     *
     * @param transport the client's transport
     * @param passport the agent's passport holder (may throw the configuration error when there is none)
     * @param guard the client's passport guard
     * @param clock the client's clock
     * @param events the client's event hook
     * @param scheduler the client's scheduler
     * @param random uniform doubles in [0, 1) for jitter
     * @param beforePresenting throws to refuse the passport before anything is sent
     */
    public CapabilityContext(
            Transport transport,
            Supplier<AgentPassport> passport,
            PassportGuard guard,
            Clock clock,
            ClientEvents events,
            TaskScheduler scheduler,
            DoubleSupplier random,
            Consumer<Passport> beforePresenting) {
        this.beforePresenting = Objects.requireNonNull(beforePresenting, "beforePresenting");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.passport = Objects.requireNonNull(passport, "passport");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Returns the transport. */
    public Transport transport() {
        return transport;
    }

    /** Returns the passport guard. */
    public PassportGuard guard() {
        return guard;
    }

    /** Returns the clock. */
    public Clock clock() {
        return clock;
    }

    /** Returns the scheduler. */
    public TaskScheduler scheduler() {
        return scheduler;
    }

    /** Returns the random source. */
    public DoubleSupplier random() {
        return random;
    }

    /**
     * Returns the agent's current passport, refused if the guard knows it as checked out, revoked or expired, or if
     * the check given at construction refuses it (revocation unknown past the staleness bound).
     *
     * @return the passport
     */
    public Passport currentPassport() {
        Passport p = passport.get().current();
        guard.requireUsable(p);
        beforePresenting.accept(p);
        return p;
    }

    /**
     * Recognises a service connection id: {@code scon_...} (hosted STACK) or {@code svc_conn_...} (older form, the
     * fake).
     *
     * @param s the string
     * @return whether it is shaped like a connection id
     */
    public static boolean isConnectionId(String s) {
        return s.startsWith("scon_") || s.startsWith("svc_conn_");
    }

    /**
     * Checks a provider slug given by the caller; a connection id is refused with a hint.
     *
     * @param provider the value
     * @param parameter the parameter name for the message
     * @param hint what to call instead when a connection id was given
     * @return the provider
     */
    public String checkProvider(String provider, String parameter, String hint) {
        Objects.requireNonNull(provider, parameter);
        if (isConnectionId(provider) && CONNECTION_ID.matcher(provider).matches()) {
            publish(
                    "local.refused",
                    ClientEvent.Outcome.BLOCKED,
                    null,
                    null,
                    Map.of("reason", "connection_id_as_provider"));
            throw new IllegalArgumentException(
                    parameter + ": '" + provider + "' is a service connection id, not a provider slug; " + hint);
        }
        if (!PROVIDER.matcher(provider).matches()) {
            throw new IllegalArgumentException(parameter + ": must be 1 to 128 characters of [A-Za-z0-9_.-]");
        }
        return provider;
    }

    /**
     * Tells whether a provider slug from the server is a plain identifier (the caller's pattern, nothing
     * credential-like), fit for logs, {@code toString} and audit events.
     *
     * @param provider the server's value
     * @return true when usable
     */
    public static boolean plainProvider(String provider) {
        return PROVIDER.matcher(provider).matches() && !ErrorMapper.carriesKeyOrJwt(provider);
    }

    /**
     * Tells whether a service connection id from the server is a plain identifier (the caller's pattern, nothing
     * credential-like), fit for logs, {@code toString} and audit events.
     *
     * @param connectionId the server's value
     * @return true when usable
     */
    public static boolean plainConnectionId(String connectionId) {
        return CONNECTION_ID.matcher(connectionId).matches() && !ErrorMapper.carriesKeyOrJwt(connectionId);
    }

    /**
     * Checks a connection id given by the caller.
     *
     * @param connectionId the value
     * @param parameter the parameter name for the message
     * @return the connection id
     */
    public static String checkConnectionId(String connectionId, String parameter) {
        Objects.requireNonNull(connectionId, parameter);
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new IllegalArgumentException(parameter + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return connectionId;
    }

    /**
     * Refuses, before anything is sent, a provider outside the passport's services (wire protocol §4.3, the set S).
     * A token whose claims cannot be read is left to the server.
     *
     * @param p the passport
     * @param provider the provider
     * @param what what was asked for ("credential", "lease", "proxy call"), for the message and event
     */
    public void requireProviderInScope(Passport p, String provider, String what) {
        TokenClaims claims = claims(p);
        if (claims == null) {
            return;
        }
        Set<String> services = claims.services();
        if (!services.contains(provider)) {
            publish(
                    "local.refused",
                    ClientEvent.Outcome.BLOCKED,
                    p.jti(),
                    null,
                    Map.of("reason", StackCredentialOutsideScopeException.REASON, "provider", provider, "for", what));
            throw new StackCredentialOutsideScopeException(
                    what + " for provider '" + provider + "' refused before sending: passport " + p.jti()
                            + " includes only " + services + ". STACK would answer credential_outside_scope and raise"
                            + " a security event that can revoke the passport; issue the passport with this service",
                    provider,
                    List.copyOf(services));
        }
    }

    /**
     * Refuses, before anything is sent, a connection that is not among the passport's services.
     *
     * @param p the passport
     * @param connectionId the connection id
     * @param what what was asked for, for the message and event
     * @return the connection's provider as the passport names it, or null when unknown
     */
    public @Nullable String requireConnectionInScope(Passport p, String connectionId, String what) {
        TokenClaims claims = claims(p);
        if (claims == null) {
            return null;
        }
        if (!claims.scopesByConnection().containsKey(connectionId)) {
            List<String> ids =
                    claims.scopesByConnection().keySet().stream().sorted().toList();
            publish(
                    "local.refused",
                    ClientEvent.Outcome.BLOCKED,
                    p.jti(),
                    null,
                    Map.of(
                            "reason",
                            StackCredentialOutsideScopeException.REASON,
                            "connection_id",
                            connectionId,
                            "for",
                            what));
            throw new StackCredentialOutsideScopeException(
                    what + " for connection '" + connectionId + "' refused before sending: passport " + p.jti()
                            + " includes only the connections " + ids + " (services " + claims.services() + ")",
                    connectionId,
                    ids);
        }
        return claims.providerByConnection().get(connectionId);
    }

    private @Nullable TokenClaims claims(Passport p) {
        ParsedClaims last = lastClaims;
        if (last != null && last.passport().jti().equals(p.jti())) {
            return last.claims();
        }
        TokenClaims c = TokenClaims.read(p.token());
        lastClaims = new ParsedClaims(p, c);
        return c;
    }

    /**
     * Maps a server refusal of a call made under {@code p}: {@code proxy_only} becomes {@link
     * StackProxyOnlyException}; a revoked or checked-out passport is reported to the guard (which ends the leases
     * under it) and rethrown.
     *
     * @param e the failure
     * @param p the passport the call was made under
     * @param what what was asked for, for the message
     * @return the exception to throw
     */
    public StackException refusal(StackException e, Passport p, String what) {
        if (e instanceof StackPermissionException pe && StackProxyOnlyException.REASON.equals(pe.reason())) {
            publish(
                    "local.refused",
                    ClientEvent.Outcome.BLOCKED,
                    p.jti(),
                    null,
                    Map.of("reason", "proxy_only", "for", what));
            return new StackProxyOnlyException(
                    what + " refused: this agent's credential_access is proxy_only, so STACK never hands it a raw"
                            + " credential. Call the provider through the proxy: client.proxy().call(ProxyRequest) or"
                            + " client.proxy().interceptor(service) on an OkHttp client",
                    pe.httpStatus(),
                    pe.errorCode(),
                    pe.requestId(),
                    pe.retryAfter().orElse(null),
                    e);
        }
        if (e instanceof StackPassportRevokedException && e.httpStatus() != 0) {
            guard.markRevoked(p.jti(), p.expiresAt(), "the control plane answered PASSPORT_REVOKED");
        } else if (e instanceof StackPassportCheckedOutException && e.httpStatus() != 0) {
            guard.markCheckedOut(p);
        }
        return e;
    }

    /**
     * Publishes an event on the client's hook. Never pass a secret.
     *
     * @param action the dotted action
     * @param outcome the outcome
     * @param passportJti the passport, if any
     * @param duration how long it took, if measured
     * @param detail non-secret detail
     */
    public void publish(
            String action,
            ClientEvent.Outcome outcome,
            @Nullable String passportJti,
            @Nullable Duration duration,
            Map<String, String> detail) {
        if (!events.hasSubscribers()) {
            return;
        }
        Map<String, String> d = new LinkedHashMap<>(detail);
        events.publish(new ClientEvent(now(), action, outcome, passportJti, duration, d));
    }

    /** Returns the clock's instant. */
    public Instant now() {
        return clock.instant();
    }
}
