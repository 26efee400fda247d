package run.getstack.sdk.lease;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What to lease: a provider's credential or one connection's, for how long and why. Immutable.
 *
 * <pre>{@code
 * try (Lease lease = client.leases().acquire(LeaseRequest.provider("openai").withTtl(Duration.ofMinutes(10)))) {
 *     call(lease.secret());
 * }
 * }</pre>
 */
public final class LeaseRequest {
    /** Default {@link #ttl()}: 900 s. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    /** Shortest TTL: 30 s. */
    public static final Duration MIN_TTL = Duration.ofSeconds(30);

    /** Longest TTL: 3600 s. */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    private static final Pattern PROVIDER = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern CONNECTION = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final @Nullable String provider;
    private final @Nullable String connectionId;
    private final Duration ttl;
    private final @Nullable String purpose;

    private LeaseRequest(
            @Nullable String provider, @Nullable String connectionId, Duration ttl, @Nullable String purpose) {
        this.provider = provider;
        this.connectionId = connectionId;
        this.ttl = ttl;
        this.purpose = purpose;
    }

    /**
     * Leases the credential of a provider's connection in the passport.
     *
     * @param provider the provider slug, e.g. {@code openai} (a connection id is refused with a hint)
     * @return the request, with {@link #DEFAULT_TTL}
     */
    public static LeaseRequest provider(String provider) {
        Objects.requireNonNull(provider, "provider");
        if (provider.startsWith("scon_") || provider.startsWith("svc_conn_")) {
            throw new IllegalArgumentException("provider: '" + provider
                    + "' is a service connection id, not a provider slug; use LeaseRequest.connection(connectionId)");
        }
        if (!PROVIDER.matcher(provider).matches()) {
            throw new IllegalArgumentException("provider: must be 1 to 128 characters of [A-Za-z0-9_.-]");
        }
        return new LeaseRequest(provider, null, DEFAULT_TTL, null);
    }

    /**
     * Leases the credential of one service connection in the passport.
     *
     * @param connectionId {@code scon_...} or {@code svc_conn_...}
     * @return the request, with {@link #DEFAULT_TTL}
     */
    public static LeaseRequest connection(String connectionId) {
        Objects.requireNonNull(connectionId, "connectionId");
        if (!CONNECTION.matcher(connectionId).matches()) {
            throw new IllegalArgumentException("connectionId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return new LeaseRequest(null, connectionId, DEFAULT_TTL, null);
    }

    /**
     * Returns a copy with another TTL (what is asked for; the server may grant less, and never past the passport's
     * expiry). Against a control plane without leases it is the lifetime of the local lease.
     *
     * @param ttl whole seconds, {@link #MIN_TTL} to {@link #MAX_TTL}
     * @return the copy
     */
    public LeaseRequest withTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(MIN_TTL) < 0
                || ttl.compareTo(MAX_TTL) > 0
                || !ttl.equals(Duration.ofSeconds(ttl.toSeconds()))) {
            throw new IllegalArgumentException("ttl: must be whole seconds from 30 s to 3600 s, was " + ttl);
        }
        return new LeaseRequest(provider, connectionId, ttl, purpose);
    }

    /**
     * Returns a copy with a purpose, recorded in STACK's audit log.
     *
     * @param purpose at most 256 characters
     * @return the copy
     */
    public LeaseRequest withPurpose(String purpose) {
        Objects.requireNonNull(purpose, "purpose");
        if (purpose.length() > 256) {
            throw new IllegalArgumentException("purpose: at most 256 characters, was " + purpose.length());
        }
        return new LeaseRequest(provider, connectionId, ttl, purpose);
    }

    /**
     * Returns the provider, when leasing by provider.
     *
     * @return the provider or null
     */
    public @Nullable String provider() {
        return provider;
    }

    /**
     * Returns the connection id, when leasing by connection.
     *
     * @return the connection id or null
     */
    public @Nullable String connectionId() {
        return connectionId;
    }

    /**
     * Returns the requested TTL.
     *
     * @return the TTL
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Returns the purpose.
     *
     * @return the purpose or null
     */
    public @Nullable String purpose() {
        return purpose;
    }

    /**
     * Two requests are equal when they lease the same credential for the same TTL (the purpose is not compared).
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LeaseRequest r
                && Objects.equals(provider, r.provider)
                && Objects.equals(connectionId, r.connectionId)
                && ttl.equals(r.ttl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(provider, connectionId, ttl);
    }

    @Override
    public String toString() {
        return "LeaseRequest{" + (provider != null ? "provider=" + provider : "connectionId=" + connectionId) + ", ttl="
                + ttl.toSeconds() + "s" + (purpose == null ? "" : ", purpose=" + purpose) + '}';
    }
}
