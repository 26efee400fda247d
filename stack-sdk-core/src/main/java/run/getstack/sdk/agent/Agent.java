package run.getstack.sdk.agent;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An agent as STACK returns it. Values STACK sends that this SDK version does not know are kept in the typed values
 * ({@link AccountabilityMode#isKnown()} false, ...). Immutable.
 *
 * @param id the agent's id ({@code agt_…})
 * @param operatorId the owning operator
 * @param name the name
 * @param description the description, or null
 * @param status active or suspended
 * @param accountabilityMode the accountability mode
 * @param onWarning what happens on a warning flag
 * @param onCritical what happens on a critical flag
 * @param credentialAccess how the agent reaches credentials
 * @param keyMode who holds its key, or null if STACK did not say
 * @param iconUrl the icon URL or data URI, or null
 * @param passportBlocked whether passports are refused until {@link Agents#unblock(String)}
 * @param allowedConnections the service connections the agent holds grants for
 * @param keyEnrolled whether an agent key is enrolled
 * @param createdAt when it was registered
 */
public record Agent(
        String id,
        String operatorId,
        String name,
        @Nullable String description,
        AgentStatus status,
        AccountabilityMode accountabilityMode,
        FlagAction onWarning,
        FlagAction onCritical,
        CredentialAccess credentialAccess,
        @Nullable KeyMode keyMode,
        @Nullable String iconUrl,
        boolean passportBlocked,
        List<String> allowedConnections,
        boolean keyEnrolled,
        Instant createdAt) {

    /**
     * Checks the required values and copies the list.
     *
     * @param id the id
     * @param operatorId the operator
     * @param name the name
     * @param description the description
     * @param status the status
     * @param accountabilityMode the mode
     * @param onWarning the warning action
     * @param onCritical the critical action
     * @param credentialAccess the posture
     * @param keyMode the key mode
     * @param iconUrl the icon
     * @param passportBlocked whether blocked
     * @param allowedConnections the connections
     * @param keyEnrolled whether a key is enrolled
     * @param createdAt when registered
     */
    public Agent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(operatorId, "operatorId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(accountabilityMode, "accountabilityMode");
        Objects.requireNonNull(onWarning, "onWarning");
        Objects.requireNonNull(onCritical, "onCritical");
        Objects.requireNonNull(credentialAccess, "credentialAccess");
        allowedConnections = List.copyOf(allowedConnections);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Shows the agent without its icon (which may be a 100 KB data URI).
     *
     * @return a summary
     */
    @Override
    public String toString() {
        return "Agent{id=" + id + ", name=" + name + ", status=" + status + ", accountabilityMode="
                + accountabilityMode + ", onWarning=" + onWarning + ", onCritical=" + onCritical
                + ", credentialAccess=" + credentialAccess + ", keyMode=" + keyMode + ", passportBlocked="
                + passportBlocked + ", allowedConnections=" + allowedConnections + ", keyEnrolled=" + keyEnrolled
                + ", createdAt=" + createdAt + '}';
    }
}
