package run.getstack.sdk.passport;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What to ask for when delegating a passport to another agent ({@code POST /v1/passports/delegate}). The child can
 * only be narrower than the parent: the client checks, when the parent token shows it, that the requested scopes
 * are a subset of the parent's and that the chain stays within {@value #MAX_DELEGATION_DEPTH} hops. Immutable.
 */
public final class DelegationRequest {
    /** STACK's deepest delegation chain: 4 hops below the root. */
    public static final int MAX_DELEGATION_DEPTH = 4;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final String childAgentId;
    private final @Nullable List<ServiceScope> scopes;
    private final @Nullable Duration ttl;
    private final @Nullable Intent intent;

    private DelegationRequest(Builder b) {
        this.childAgentId = b.childAgentId;
        this.scopes = b.scopes;
        this.ttl = b.ttl;
        this.intent = b.intent;
    }

    /**
     * Starts a builder.
     *
     * @param childAgentId the agent receiving the child passport
     * @return a new builder
     * @throws IllegalArgumentException if the id is malformed
     */
    public static Builder builder(String childAgentId) {
        return new Builder(childAgentId);
    }

    /** @return the child agent */
    public String childAgentId() {
        return childAgentId;
    }

    /** @return the narrowed scopes, or null to keep the parent's */
    public @Nullable List<ServiceScope> scopes() {
        return scopes;
    }

    /** @return the lifetime, or null for the parent's remaining lifetime */
    public @Nullable Duration ttl() {
        return ttl;
    }

    /** @return the intent, or null to inherit the parent's */
    public @Nullable Intent intent() {
        return intent;
    }

    @Override
    public String toString() {
        return "DelegationRequest{childAgentId=" + childAgentId + ", scopes=" + scopes + ", ttl=" + ttl + ", intent="
                + intent + '}';
    }

    /** Builds a {@link DelegationRequest}. Not thread-safe. */
    public static final class Builder {
        private final String childAgentId;
        private @Nullable List<ServiceScope> scopes;
        private @Nullable Duration ttl;
        private @Nullable Intent intent;

        private Builder(String childAgentId) {
            Objects.requireNonNull(childAgentId, "childAgentId");
            if (!ID.matcher(childAgentId).matches()) {
                throw new IllegalArgumentException("childAgentId: must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            this.childAgentId = childAgentId;
        }

        /**
         * Narrows the child's scopes.
         *
         * @param scopes a subset of the parent's
         * @return this builder
         */
        public Builder scopes(List<ServiceScope> scopes) {
            this.scopes = List.copyOf(Objects.requireNonNull(scopes, "scopes"));
            return this;
        }

        /**
         * Sets the child's lifetime (capped by the server at the parent's expiry).
         *
         * @param ttl whole seconds from 60 s to 3600 s
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            this.ttl = PassportRequest.Builder.seconds("ttl", ttl);
            return this;
        }

        /**
         * Sets the child's intent (its services must be within the parent's).
         *
         * @param intent the intent
         * @return this builder
         */
        public Builder intent(Intent intent) {
            this.intent = Objects.requireNonNull(intent, "intent");
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         */
        public DelegationRequest build() {
            return new DelegationRequest(this);
        }
    }
}
