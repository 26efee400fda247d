package run.getstack.sdk.agent;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Agents#update(String, AgentUpdate)} changes ({@code PATCH /v1/agents/{id}}): only the fields set are
 * sent. Each setter checks STACK's rule for its field at once ({@link IllegalArgumentException} naming the field).
 * The key mode cannot be changed after registration and {@code passport_blocked} only through {@link
 * Agents#unblock(String)}. Suspending an agent revokes its live passports. Immutable.
 */
public final class AgentUpdate {
    private final @Nullable String name;
    private final @Nullable String description;
    private final @Nullable AgentStatus status;
    private final @Nullable AccountabilityMode accountabilityMode;
    private final @Nullable FlagAction onWarning;
    private final @Nullable FlagAction onCritical;
    private final @Nullable CredentialAccess credentialAccess;
    private final @Nullable String iconUrl;

    private AgentUpdate(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.status = b.status;
        this.accountabilityMode = b.accountabilityMode;
        this.onWarning = b.onWarning;
        this.onCritical = b.onCritical;
        this.credentialAccess = b.credentialAccess;
        this.iconUrl = b.iconUrl;
    }

    /**
     * Starts an empty update.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the new name, or null to keep it.
     *
     * @return the name
     */
    public @Nullable String name() {
        return name;
    }

    /**
     * Returns the new description, or null to keep it.
     *
     * @return the description
     */
    public @Nullable String description() {
        return description;
    }

    /**
     * Returns the new status, or null to keep it.
     *
     * @return the status
     */
    public @Nullable AgentStatus status() {
        return status;
    }

    /**
     * Returns the new accountability mode, or null to keep it.
     *
     * @return the mode
     */
    public @Nullable AccountabilityMode accountabilityMode() {
        return accountabilityMode;
    }

    /**
     * Returns the new warning action, or null to keep it.
     *
     * @return the action
     */
    public @Nullable FlagAction onWarning() {
        return onWarning;
    }

    /**
     * Returns the new critical action, or null to keep it.
     *
     * @return the action
     */
    public @Nullable FlagAction onCritical() {
        return onCritical;
    }

    /**
     * Returns the new credential access posture, or null to keep it.
     *
     * @return the posture
     */
    public @Nullable CredentialAccess credentialAccess() {
        return credentialAccess;
    }

    /**
     * Returns the new icon URL, or null to keep it.
     *
     * @return the icon URL
     */
    public @Nullable String iconUrl() {
        return iconUrl;
    }

    /**
     * Tells whether nothing is set.
     *
     * @return true for an update that changes nothing
     */
    public boolean isEmpty() {
        return name == null
                && description == null
                && status == null
                && accountabilityMode == null
                && onWarning == null
                && onCritical == null
                && credentialAccess == null
                && iconUrl == null;
    }

    @Override
    public String toString() {
        return "AgentUpdate{name=" + name + ", status=" + status + ", accountabilityMode=" + accountabilityMode
                + ", onWarning=" + onWarning + ", onCritical=" + onCritical + ", credentialAccess="
                + credentialAccess + '}';
    }

    /** Builds an {@link AgentUpdate}; each setter validates its field. Not thread-safe. */
    public static final class Builder {
        private @Nullable String name;
        private @Nullable String description;
        private @Nullable AgentStatus status;
        private @Nullable AccountabilityMode accountabilityMode;
        private @Nullable FlagAction onWarning;
        private @Nullable FlagAction onCritical;
        private @Nullable CredentialAccess credentialAccess;
        private @Nullable String iconUrl;

        private Builder() {}

        /**
         * Renames the agent.
         *
         * @param name see {@link AgentRegistration#NAME_PATTERN}
         * @return this builder
         */
        public Builder name(String name) {
            this.name = AgentRules.name(name);
            return this;
        }

        /**
         * Changes the description.
         *
         * @param description at most {@value AgentRegistration#MAX_DESCRIPTION_LENGTH} characters
         * @return this builder
         */
        public Builder description(String description) {
            this.description = AgentRules.description(description);
            return this;
        }

        /**
         * Suspends or reactivates the agent.
         *
         * @param status a known status
         * @return this builder
         */
        public Builder status(AgentStatus status) {
            Objects.requireNonNull(status, "status");
            this.status = AgentRules.known("status", status, status.isKnown(), status);
            return this;
        }

        /**
         * Changes the accountability mode (for passports issued afterwards).
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
         * Changes what happens on a warning-severity flag.
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
         * Changes what happens on a critical-severity flag.
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
         * Changes how the agent may reach its credentials.
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
         * Changes the icon.
         *
         * @param iconUrl a URL or data URI of at most {@value AgentRegistration#MAX_ICON_URL_LENGTH} characters
         * @return this builder
         */
        public Builder iconUrl(String iconUrl) {
            this.iconUrl = AgentRules.iconUrl(iconUrl);
            return this;
        }

        /**
         * Builds the update.
         *
         * @return the update
         */
        public AgentUpdate build() {
            return new AgentUpdate(this);
        }
    }
}
