package run.getstack.sdk.testkit.internal.agents;

import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. A registered agent; guarded by the state lock. */
public final class Agent {
    /** Id, {@code agt_…}. */
    public final String id;
    /** Owning operator. */
    public final String operatorId;
    /** Unique name within the operator. */
    public String name;
    /** Description. */
    public @Nullable String description;
    /** {@code active} or {@code suspended}. */
    public String status = "active";
    /**
     * Accountability mode: {@code enforced}, {@code logged} or {@code standard}; hosted STACK registers {@code
     * logged} unless told otherwise (live tool {@code stack_register_agent}).
     */
    public String mode = "logged";
    /** {@code notify} or {@code block}. */
    public String onWarning = "notify";
    /** {@code notify} or {@code block}. */
    public String onCritical = "block";
    /**
     * {@code direct}, {@code proxy_preferred} or {@code proxy_only}; hosted STACK registers {@code proxy_only} unless
     * told otherwise (live tool {@code stack_register_agent}).
     */
    public String credentialAccess = "proxy_only";
    /** The preset named at registration ({@code profile}), or null. */
    public @Nullable String profile;
    /** Who holds the agent's key ({@code key_mode}); fixed at registration; null when not given. */
    public @Nullable String keyMode;
    /** Icon URL. */
    public @Nullable String iconUrl;
    /** Set by a detector block or a blocked checkout; cleared by unblock only. */
    public boolean passportBlocked;
    /** Registration time. */
    public final Instant createdAt;
    /** A seeded burst baseline, or null to measure. */
    public @Nullable Double seededBaseline;
    /** The enrolled agent key, or null. */
    public @Nullable PublicKey publicKey;
    /** The enrolled key's {@code x}, or null. */
    public @Nullable String publicX;
    /** Agent-JWT jtis seen recently (replay window). */
    public final Map<String, Instant> seenJtis = new LinkedHashMap<>();
    /** Counted credential requests (burst detector). */
    public final List<Instant> counted = new ArrayList<>();

    Agent(String id, String operatorId, String name, Instant createdAt) {
        this.id = id;
        this.operatorId = operatorId;
        this.name = name;
        this.createdAt = createdAt;
    }
}
