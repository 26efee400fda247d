package run.getstack.sdk.passport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What to ask for when issuing a passport ({@code POST /v1/passports/issue}). Immutable; build with {@link
 * #builder()}. Every setter validates at once, so an out-of-range TTL never reaches the server.
 */
public final class PassportRequest {
    /** Default {@link #ttl()}: 900 s, STACK's default. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    /** Shortest accepted {@link #ttl()}: 60 s. */
    public static final Duration MIN_TTL = Duration.ofMinutes(1);

    /** Longest accepted {@link #ttl()}: 3600 s, STACK's hard maximum. */
    public static final Duration MAX_TTL = Duration.ofHours(1);

    private static final java.util.regex.Pattern MISSION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private static final PassportRequest DEFAULTS = builder().build();

    private final Duration ttl;
    private final @Nullable List<ServiceScope> scopes;
    private final @Nullable List<String> identityClaimIds;
    private final @Nullable Intent intent;
    private final @Nullable Duration checkpointInterval;
    private final @Nullable String missionId;

    private PassportRequest(Builder b) {
        this.ttl = b.ttl;
        this.scopes = b.scopes;
        this.identityClaimIds = b.identityClaimIds;
        this.intent = b.intent;
        this.checkpointInterval = b.checkpointInterval;
        this.missionId = b.missionId;
    }

    /**
     * Returns a request with every default (all granted scopes, default TTL, no intent).
     *
     * @return the default request
     */
    public static PassportRequest defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the requested lifetime. An {@code enforced} agent's passport lives at most its checkpoint interval: see
     * {@link Builder#ttl(Duration)}.
     *
     * @return the requested lifetime
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * Returns the requested scopes, or null for all the agent's grants.
     *
     * @return the requested scopes, or null for all the agent's grants
     */
    public @Nullable List<ServiceScope> scopes() {
        return scopes;
    }

    /**
     * Returns the identity claims to embed, or null for all active ones.
     *
     * @return the identity claims to embed, or null for all active ones
     */
    public @Nullable List<String> identityClaimIds() {
        return identityClaimIds;
    }

    /**
     * Returns the intent, or null.
     *
     * @return the intent, or null
     */
    public @Nullable Intent intent() {
        return intent;
    }

    /**
     * Returns the checkpoint interval, or null for the server's default.
     *
     * @return the checkpoint interval, or null for the server's default
     */
    public @Nullable Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * Returns the mission the passport is issued for ({@code mission_ids}), or null. Hosted STACK issues a passport
     * only for a live mission: without one, {@link Passports#issue} is refused ({@code MISSION_REQUIRED}); the
     * client's own passport ({@code StackClient.passport()}) starts a mission from this request's intent instead.
     *
     * @return the mission id, or null
     */
    public @Nullable String missionId() {
        return missionId;
    }

    @Override
    public String toString() {
        return "PassportRequest{ttl=" + ttl + ", scopes=" + scopes + ", identityClaimIds=" + identityClaimIds
                + ", intent=" + intent + ", checkpointInterval=" + checkpointInterval + ", missionId=" + missionId
                + '}';
    }

    /** Builds a {@link PassportRequest}. Not thread-safe. */
    public static final class Builder {
        private Duration ttl = DEFAULT_TTL;
        private @Nullable List<ServiceScope> scopes;
        private @Nullable List<String> identityClaimIds;
        private @Nullable Intent intent;
        private @Nullable Duration checkpointInterval;
        private @Nullable String missionId;

        private Builder() {}

        /**
         * Issues the passport for this mission (sent as {@code mission_ids}: exactly one live mission, assigned to
         * the agent or unassigned). The passport never outlives it.
         *
         * @param missionId {@code ms_...}
         * @return this builder
         */
        public Builder missionId(String missionId) {
            Objects.requireNonNull(missionId, "missionId");
            if (!MISSION_ID.matcher(missionId).matches()) {
                throw new IllegalArgumentException("missionId: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.missionId = missionId;
            return this;
        }

        /**
         * Starts from an existing request's settings.
         *
         * @param request the request to copy
         * @return this builder
         */
        public Builder from(PassportRequest request) {
            this.ttl = request.ttl;
            this.scopes = request.scopes;
            this.identityClaimIds = request.identityClaimIds;
            this.intent = request.intent;
            this.checkpointInterval = request.checkpointInterval;
            this.missionId = request.missionId;
            return this;
        }

        /**
         * Sets the requested lifetime. Default {@link #DEFAULT_TTL}.
         *
         * <p>For an agent in {@code enforced} mode STACK caps the lifetime at the agent's checkpoint interval
         * (default 300 s): the passport lives {@code min(ttl, checkpoint interval)}, so a 15-minute request gives a
         * 5-minute passport. Each accepted checkpoint moves its expiry to now plus the interval, and the SDK refreshes
         * it ahead of expiry. {@code standard} and {@code logged} agents get the TTL asked for.
         *
         * @param ttl whole seconds from {@link #MIN_TTL} to {@link #MAX_TTL}
         * @return this builder
         * @throws IllegalArgumentException if out of range or not whole seconds
         */
        public Builder ttl(Duration ttl) {
            this.ttl = seconds("ttl", ttl);
            return this;
        }

        /**
         * Limits the passport to these scopes; without this call it carries all of the agent's grants.
         *
         * @param scopes one entry per service connection
         * @return this builder
         */
        public Builder scopes(List<ServiceScope> scopes) {
            this.scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
            return this;
        }

        /**
         * Embeds only these identity claims; without this call all active claims are embedded.
         *
         * @param claimIds the claim ids
         * @return this builder
         */
        public Builder identityClaimIds(List<String> claimIds) {
            this.identityClaimIds = List.copyOf(Objects.requireNonNull(claimIds, "identityClaimIds"));
            return this;
        }

        /**
         * Sets the intent (required for {@code enforced} and {@code logged} agents).
         *
         * @param intent the intent
         * @return this builder
         */
        public Builder intent(Intent intent) {
            this.intent = Objects.requireNonNull(intent, "intent");
            return this;
        }

        /**
         * Sets the checkpoint interval ({@code enforced} agents: the passport lives at most this long between
         * checkpoints, whatever {@link #ttl(Duration)} asks for; a checkpoint moves its expiry to now plus this
         * interval). Without this call the agent's own interval applies (STACK's default is 300 s).
         *
         * @param interval whole seconds from 60 s to 3600 s
         * @return this builder
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = seconds("checkpointInterval", interval);
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public PassportRequest build() {
            return new PassportRequest(this);
        }

        static Duration seconds(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(MIN_TTL) < 0 || d.compareTo(MAX_TTL) > 0 || d.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(name + ": must be whole seconds from " + MIN_TTL.toSeconds() + " to "
                        + MAX_TTL.toSeconds() + " s, was " + d);
            }
            return d;
        }
    }
}
