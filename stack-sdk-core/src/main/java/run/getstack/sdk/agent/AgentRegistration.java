package run.getstack.sdk.agent;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Agents#register(AgentRegistration)} sends ({@code POST /v1/agents/register}). Every setter checks
 * STACK's rule for its field at once and throws {@link IllegalArgumentException} naming the field, so nothing
 * invalid is sent. A field left unset is not sent, and STACK applies its default: today's hosted STACK registers
 * {@code logged} + {@code proxy_only} (its live tool schema); older REST pages say {@code enforced} + {@code
 * direct}. Set the fields you rely on. Immutable.
 *
 * <pre>{@code
 * Agent bot = stack.agents().register(AgentRegistration.builder("support_bot")
 *         .accountabilityMode(AccountabilityMode.ENFORCED)
 *         .onCritical(FlagAction.BLOCK)
 *         .build());
 * }</pre>
 */
public final class AgentRegistration {
    /**
     * The agent name rule: lower-case letters, digits, {@code -} and {@code _}, starting and ending with a letter or
     * digit. STACK's REST page gives {@code ^[a-z0-9][a-z0-9\-]*[a-z0-9]$}; its live tool schema also allows
     * underscores, and the live tools win.
     */
    public static final String NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*[a-z0-9]$";

    /** The longest name: {@value} characters. */
    public static final int MAX_NAME_LENGTH = 64;

    /** The longest description: {@value} characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 256;

    /** The longest icon URL (a URL or a data URI): {@value} characters. */
    public static final int MAX_ICON_URL_LENGTH = 100_000;

    private final String name;
    private final @Nullable String description;
    private final @Nullable AccountabilityMode accountabilityMode;
    private final @Nullable FlagAction onWarning;
    private final @Nullable FlagAction onCritical;
    private final @Nullable CredentialAccess credentialAccess;
    private final @Nullable String iconUrl;
    private final @Nullable String profile;
    private final @Nullable KeyMode keyMode;

    private AgentRegistration(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.accountabilityMode = b.accountabilityMode;
        this.onWarning = b.onWarning;
        this.onCritical = b.onCritical;
        this.credentialAccess = b.credentialAccess;
        this.iconUrl = b.iconUrl;
        this.profile = b.profile;
        this.keyMode = b.keyMode;
    }

    /**
     * Starts a registration.
     *
     * @param name the agent's name, unique per operator; see {@link #NAME_PATTERN}
     * @return a builder
     * @throws IllegalArgumentException if the name breaks the rule
     */
    public static Builder builder(String name) {
        return new Builder(AgentRules.name(name));
    }

    /**
     * Returns the name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the description, or null if not sent.
     *
     * @return the description
     */
    public @Nullable String description() {
        return description;
    }

    /**
     * Returns the accountability mode, or null for STACK's default.
     *
     * @return the mode
     */
    public @Nullable AccountabilityMode accountabilityMode() {
        return accountabilityMode;
    }

    /**
     * Returns the action on a warning flag, or null for STACK's default.
     *
     * @return the action
     */
    public @Nullable FlagAction onWarning() {
        return onWarning;
    }

    /**
     * Returns the action on a critical flag, or null for STACK's default.
     *
     * @return the action
     */
    public @Nullable FlagAction onCritical() {
        return onCritical;
    }

    /**
     * Returns the credential access posture, or null for STACK's default.
     *
     * @return the posture
     */
    public @Nullable CredentialAccess credentialAccess() {
        return credentialAccess;
    }

    /**
     * Returns the icon URL, or null.
     *
     * @return the icon URL
     */
    public @Nullable String iconUrl() {
        return iconUrl;
    }

    /**
     * Returns the preset profile (for example {@code proxied-llm-bot}), or null.
     *
     * @return the profile
     */
    public @Nullable String profile() {
        return profile;
    }

    /**
     * Returns the key mode, or null for STACK's default.
     *
     * @return the key mode
     */
    public @Nullable KeyMode keyMode() {
        return keyMode;
    }

    @Override
    public String toString() {
        return "AgentRegistration{name=" + name + ", accountabilityMode=" + accountabilityMode + ", onWarning="
                + onWarning + ", onCritical=" + onCritical + ", credentialAccess=" + credentialAccess + ", profile="
                + profile + ", keyMode=" + keyMode + '}';
    }

    /** Builds an {@link AgentRegistration}; each setter validates its field. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private @Nullable String description;
        private @Nullable AccountabilityMode accountabilityMode;
        private @Nullable FlagAction onWarning;
        private @Nullable FlagAction onCritical;
        private @Nullable CredentialAccess credentialAccess;
        private @Nullable String iconUrl;
        private @Nullable String profile;
        private @Nullable KeyMode keyMode;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Sets the description.
         *
         * @param description at most {@value #MAX_DESCRIPTION_LENGTH} characters
         * @return this builder
         */
        public Builder description(String description) {
            this.description = AgentRules.description(description);
            return this;
        }

        /**
         * Sets the accountability mode.
         *
         * @param mode a known mode
         * @return this builder
         */
        public Builder accountabilityMode(AccountabilityMode mode) {
            Objects.requireNonNull(mode, "accountability_mode");
            this.accountabilityMode = AgentRules.known("accountability_mode", mode, mode.isKnown(), mode);
            return this;
        }

        /**
         * Sets what happens on a warning-severity flag.
         *
         * @param action a known action
         * @return this builder
         */
        public Builder onWarning(FlagAction action) {
            Objects.requireNonNull(action, "on_warning");
            this.onWarning = AgentRules.known("on_warning", action, action.isKnown(), action);
            return this;
        }

        /**
         * Sets what happens on a critical-severity flag.
         *
         * @param action a known action
         * @return this builder
         */
        public Builder onCritical(FlagAction action) {
            Objects.requireNonNull(action, "on_critical");
            this.onCritical = AgentRules.known("on_critical", action, action.isKnown(), action);
            return this;
        }

        /**
         * Sets how the agent may reach its credentials.
         *
         * @param access a known posture
         * @return this builder
         */
        public Builder credentialAccess(CredentialAccess access) {
            Objects.requireNonNull(access, "credential_access");
            this.credentialAccess = AgentRules.known("credential_access", access, access.isKnown(), access);
            return this;
        }

        /**
         * Sets the icon.
         *
         * @param iconUrl a URL or data URI of at most {@value #MAX_ICON_URL_LENGTH} characters
         * @return this builder
         */
        public Builder iconUrl(String iconUrl) {
            this.iconUrl = AgentRules.iconUrl(iconUrl);
            return this;
        }

        /**
         * Sets a preset profile; explicit fields override what it expands to (for example {@code proxied-llm-bot}
         * is {@code proxy_only} + {@code logged} + {@code stack_managed}).
         *
         * @param profile 1 to 64 characters of {@code [a-z0-9_-]}
         * @return this builder
         */
        public Builder profile(String profile) {
            this.profile = AgentRules.profile(profile);
            return this;
        }

        /**
         * Sets who holds the agent's key; it cannot be changed after registration. STACK publishes only {@code
         * stack_managed} so far, so other well-formed values are sent as given.
         *
         * @param keyMode the key mode
         * @return this builder
         */
        public Builder keyMode(KeyMode keyMode) {
            this.keyMode = Objects.requireNonNull(keyMode, "key_mode");
            return this;
        }

        /**
         * Builds the registration.
         *
         * @return the registration
         */
        public AgentRegistration build() {
            return new AgentRegistration(this);
        }
    }
}
