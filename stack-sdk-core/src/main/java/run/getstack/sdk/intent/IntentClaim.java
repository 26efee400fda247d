package run.getstack.sdk.intent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.proxy.ProxyRequest;

/**
 * What an agent asks a person to approve: STACK's IntentClaim ({@code stack_submit_intent}; {@code
 * docs/wire-protocol.md} §14.1). Immutable; every field is checked when set, so a claim that would be refused is
 * refused before anything is sent. The SDK adds {@code type}, {@code agent_id}, {@code accountability} and {@code
 * submitted_at} when it submits, and {@code mission_ref} (the passport's mission) unless one was set.
 *
 * <pre>{@code
 * IntentClaim claim = IntentClaim.builder(IntentType.HTTP_CALL)
 *         .namedIntent("refund_order")
 *         .target("stripe")
 *         .action("POST")
 *         .reason("customer 4411 was charged twice")
 *         .parameters("{\"order\":\"o_981\"}")
 *         .estimatedCost(1299, "USD")
 *         .build();
 * }</pre>
 */
public final class IntentClaim {
    /** Default lifetime of the pending approval: 900 s. */
    public static final Duration DEFAULT_APPROVAL_LIFETIME = Duration.ofMinutes(15);

    /** Longest lifetime STACK accepts: 86,400 s. */
    public static final Duration MAX_APPROVAL_LIFETIME = Duration.ofDays(1);

    /** Longest {@code parameters} JSON text: 64 KiB. */
    public static final int MAX_PARAMETERS_LENGTH = 64 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final IntentType type;
    private final String namedIntent;
    private final String target;
    private final String action;
    private final String reason;
    private final @Nullable String parameters;
    private final @Nullable Long estimatedCostCents;
    private final @Nullable String currency;
    private final List<String> requires;
    private final @Nullable String userSubject;
    private final @Nullable String missionRef;
    private final Duration approvalLifetime;
    private final boolean skipSimulation;

    private IntentClaim(Builder b) {
        this.type = b.type;
        this.namedIntent = required(b.namedIntent, "namedIntent");
        this.target = required(b.target, "target");
        this.action = required(b.action, "action");
        this.reason = required(b.reason, "reason");
        this.parameters = b.parameters;
        this.estimatedCostCents = b.estimatedCostCents;
        this.currency = b.currency;
        this.requires = List.copyOf(b.requires);
        this.userSubject = b.userSubject;
        this.missionRef = b.missionRef;
        this.approvalLifetime = b.approvalLifetime;
        this.skipSimulation = b.skipSimulation;
    }

    private static String required(@Nullable String v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + ": is required");
        }
        return v;
    }

    /**
     * Starts a claim of the given kind.
     *
     * @param type what kind of action it asks for
     * @return a builder
     */
    public static Builder builder(IntentType type) {
        return new Builder(Objects.requireNonNull(type, "type"));
    }

    /**
     * Starts a claim for exactly one proxy call: an {@code http_call} whose target is the request's service and whose
     * action is its method, with the URL as a parameter. The approval it gets is good for that service and method
     * ({@link ProxyRequest#withApprovalId(String)}).
     *
     * @param request the proxy call to approve
     * @param namedIntent a short name for the action, such as {@code post_weekly_update}
     * @return a builder (set the {@link Builder#reason(String)})
     */
    public static Builder forProxyCall(ProxyRequest request, String namedIntent) {
        Objects.requireNonNull(request, "request");
        int q = request.url().indexOf('?');
        String url = q < 0 ? request.url() : request.url().substring(0, q);
        return builder(IntentType.HTTP_CALL)
                .namedIntent(namedIntent)
                .target(request.service())
                .action(request.method())
                .parameters("{\"url\":" + run.getstack.sdk.intent.internal.IntentJson.quote(url) + "}");
    }

    /**
     * Starts a claim for exactly one skill invocation: a {@code skill_invocation} whose target is the skill, whose
     * action is {@code invoke} and whose parameters are the input, so the person deciding sees what the skill will be
     * given. The approval it gets is good for one invocation of that skill ({@link
     * run.getstack.sdk.skill.Skills#invoke(String, Map, String)}).
     *
     * @param skillId the skill ({@code skl_…})
     * @param input the input the invocation will send (as {@link run.getstack.sdk.skill.Skills#invoke(String, Map)}),
     *     at most {@link #MAX_PARAMETERS_LENGTH} characters as JSON
     * @param namedIntent a short name for the action, such as {@code summarise_ticket}
     * @return a builder (set the {@link Builder#reason(String)})
     * @throws IllegalArgumentException if the skill id is malformed or the input is not representable as a JSON object
     *     of at most {@link #MAX_PARAMETERS_LENGTH} characters
     */
    public static Builder forSkill(String skillId, Map<String, ?> input, String namedIntent) {
        Objects.requireNonNull(skillId, "skillId");
        Objects.requireNonNull(input, "input");
        if (!ID.matcher(skillId).matches()) {
            throw new IllegalArgumentException("skillId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return builder(IntentType.SKILL_INVOCATION)
                .namedIntent(namedIntent)
                .target(skillId)
                .action("invoke")
                .parameters(run.getstack.sdk.intent.internal.IntentJson.object(input, "input"));
    }

    /**
     * Returns the kind of action.
     *
     * @return the kind of action
     */
    public IntentType type() {
        return type;
    }

    /**
     * Returns the claim's name.
     *
     * @return the claim's name
     */
    public String namedIntent() {
        return namedIntent;
    }

    /**
     * Returns what it acts on.
     *
     * @return what it acts on
     */
    public String target() {
        return target;
    }

    /**
     * Returns what it does.
     *
     * @return what it does
     */
    public String action() {
        return action;
    }

    /**
     * Returns why, for the person deciding.
     *
     * @return why, for the person deciding
     */
    public String reason() {
        return reason;
    }

    /**
     * Returns the parameters as a JSON object text, if any.
     *
     * @return the parameters as a JSON object text, if any
     */
    public Optional<String> parameters() {
        return Optional.ofNullable(parameters);
    }

    /**
     * Returns the estimated cost in cents, if given.
     *
     * @return the estimated cost in cents, if given
     */
    public Optional<Long> estimatedCostCents() {
        return Optional.ofNullable(estimatedCostCents);
    }

    /**
     * Returns the cost's ISO 4217 currency, if a cost was given.
     *
     * @return the cost's ISO 4217 currency, if a cost was given
     */
    public Optional<String> currency() {
        return Optional.ofNullable(currency);
    }

    /**
     * Returns what the action requires (connections, identity levels, ...), as free identifiers.
     *
     * @return what the action requires (connections, identity levels, ...), as free identifiers
     */
    public List<String> requires() {
        return requires;
    }

    /**
     * Returns the person on whose behalf the agent acts, if given.
     *
     * @return the person on whose behalf the agent acts, if given
     */
    public Optional<String> userSubject() {
        return Optional.ofNullable(userSubject);
    }

    /**
     * Returns the mission it belongs to, if set (else the passport's mission is sent).
     *
     * @return the mission it belongs to, if set (else the passport's mission is sent)
     */
    public Optional<String> missionRef() {
        return Optional.ofNullable(missionRef);
    }

    /**
     * Returns how long the pending approval lives ({@code expires_in_seconds}).
     *
     * @return how long the pending approval lives ({@code expires_in_seconds})
     */
    public Duration approvalLifetime() {
        return approvalLifetime;
    }

    /**
     * Returns whether STACK's simulation is skipped.
     *
     * @return whether STACK's simulation is skipped
     */
    public boolean skipSimulation() {
        return skipSimulation;
    }

    @Override
    public String toString() {
        return "IntentClaim{" + type.wireValue() + " " + namedIntent + ": " + action + " on " + target + '}';
    }

    /** Builds an {@link IntentClaim}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
        private final IntentType type;
        private @Nullable String namedIntent;
        private @Nullable String target;
        private @Nullable String action;
        private @Nullable String reason;
        private @Nullable String parameters;
        private @Nullable Long estimatedCostCents;
        private @Nullable String currency;
        private final List<String> requires = new ArrayList<>();
        private @Nullable String userSubject;
        private @Nullable String missionRef;
        private Duration approvalLifetime = DEFAULT_APPROVAL_LIFETIME;
        private boolean skipSimulation;

        private Builder(IntentType type) {
            this.type = type;
        }

        /**
         * Sets the claim's name ({@code named_intent}), required.
         *
         * @param name 1 to 128 characters of {@code [A-Za-z0-9_.:-]}, starting with a letter or digit
         * @return this builder
         */
        public Builder namedIntent(String name) {
            Objects.requireNonNull(name, "namedIntent");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "namedIntent: must be 1 to 128 characters of [A-Za-z0-9_.:-], starting with a letter or digit");
            }
            this.namedIntent = name;
            return this;
        }

        /**
         * Sets what the action acts on ({@code target}), required: for {@link IntentType#HTTP_CALL} the service
         * (provider slug) the proxy call goes to.
         *
         * @param target 1 to 512 characters without control characters
         * @return this builder
         */
        public Builder target(String target) {
            this.target = text(target, "target", 512);
            return this;
        }

        /**
         * Sets what the action does ({@code action}), required: for {@link IntentType#HTTP_CALL} the HTTP method
         * (upper-cased here).
         *
         * @param action 1 to 128 characters without control characters
         * @return this builder
         */
        public Builder action(String action) {
            String a = text(action, "action", 128);
            this.action = type == IntentType.HTTP_CALL ? a.toUpperCase(Locale.ROOT) : a;
            return this;
        }

        /**
         * Sets why the agent wants to act ({@code reason}), required: the person deciding reads it.
         *
         * @param reason 1 to 1000 characters without control characters
         * @return this builder
         */
        public Builder reason(String reason) {
            this.reason = text(reason, "reason", 1000);
            return this;
        }

        /**
         * Sets the action's parameters ({@code parameters}).
         *
         * @param json a JSON object, at most {@link #MAX_PARAMETERS_LENGTH} characters
         * @return this builder
         * @throws IllegalArgumentException if it is not a JSON object
         */
        public Builder parameters(String json) {
            Objects.requireNonNull(json, "parameters");
            if (json.length() > MAX_PARAMETERS_LENGTH) {
                throw new IllegalArgumentException(
                        "parameters: must be at most " + MAX_PARAMETERS_LENGTH + " characters");
            }
            run.getstack.sdk.intent.internal.IntentJson.requireObject(json, "parameters");
            this.parameters = json;
            return this;
        }

        /**
         * Sets the estimated cost ({@code estimated_cost}).
         *
         * @param cents zero or more, in the currency's minor unit
         * @param currency ISO 4217 code such as {@code USD}
         * @return this builder
         */
        public Builder estimatedCost(long cents, String currency) {
            if (cents < 0) {
                throw new IllegalArgumentException("estimatedCost: cents must not be negative");
            }
            Objects.requireNonNull(currency, "currency");
            if (!CURRENCY.matcher(currency).matches()) {
                throw new IllegalArgumentException("currency: must be an upper-case ISO 4217 code such as USD");
            }
            this.estimatedCostCents = cents;
            this.currency = currency;
            return this;
        }

        /**
         * Adds what the action requires ({@code requires}): connections, identity levels and the like.
         *
         * @param requirements up to 32 in all, each 1 to 128 characters of {@code [A-Za-z0-9_.:-]}
         * @return this builder
         */
        public Builder requires(String... requirements) {
            for (String r : requirements) {
                Objects.requireNonNull(r, "requires");
                if (!NAME.matcher(r).matches()) {
                    throw new IllegalArgumentException("requires: each must be 1 to 128 characters of [A-Za-z0-9_.:-]");
                }
                if (requires.size() == 32) {
                    throw new IllegalArgumentException("requires: at most 32");
                }
                requires.add(r);
            }
            return this;
        }

        /**
         * Sets the person on whose behalf the agent acts ({@code user_subject}).
         *
         * @param subject 1 to 256 characters without control characters
         * @return this builder
         */
        public Builder userSubject(String subject) {
            this.userSubject = text(subject, "userSubject", 256);
            return this;
        }

        /**
         * Sets the mission the intent belongs to ({@code mission_ref}); by default the passport's mission.
         *
         * @param missionId the {@code ms_…} id
         * @return this builder
         */
        public Builder missionRef(String missionId) {
            Objects.requireNonNull(missionId, "missionRef");
            if (!ID.matcher(missionId).matches()) {
                throw new IllegalArgumentException("missionRef: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.missionRef = missionId;
            return this;
        }

        /**
         * Sets how long the pending approval lives ({@code expires_in_seconds}); default 900 s.
         *
         * @param lifetime whole seconds, 1 s to {@link #MAX_APPROVAL_LIFETIME}
         * @return this builder
         */
        public Builder approvalLifetime(Duration lifetime) {
            Objects.requireNonNull(lifetime, "approvalLifetime");
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0
                    || lifetime.compareTo(MAX_APPROVAL_LIFETIME) > 0
                    || lifetime.toNanosPart() != 0) {
                throw new IllegalArgumentException(
                        "approvalLifetime: must be whole seconds from 1 s to 86400 s, was " + lifetime);
            }
            this.approvalLifetime = lifetime;
            return this;
        }

        /**
         * Skips STACK's simulation ({@code skip_simulation}); it runs by default.
         *
         * @param skip whether to skip it
         * @return this builder
         */
        public Builder skipSimulation(boolean skip) {
            this.skipSimulation = skip;
            return this;
        }

        /**
         * Builds the claim.
         *
         * @return the claim
         * @throws IllegalArgumentException if the name, target, action or reason is missing
         */
        public IntentClaim build() {
            return new IntentClaim(this);
        }

        private static String text(String value, String name, int max) {
            Objects.requireNonNull(value, name);
            if (value.isBlank() || value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(
                        name + ": must be 1 to " + max + " characters, not blank, without control characters");
            }
            return value;
        }
    }
}
