package run.getstack.sdk.testkit.internal.missions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Internal, not for public use. One mission; guarded by the state lock. */
public final class Mission {
    /** {@code ms_...}. */
    public final String id;
    /** The owning operator. */
    public final String operatorId;
    /** The assigned agent, null while unassigned. */
    public @Nullable String agentId;
    /** {@code active}, {@code paused}, {@code completed} or {@code revoked}. */
    public String status = "active";
    /** Why it ended. */
    public @Nullable String endReason;
    /** What it is for. */
    public final String intentSummary;
    /** Provider slugs. */
    public final List<String> services;
    /** {@code max_actions}, {@code max_cents}, {@code max_seconds}, {@code max_bytes}. */
    public final Map<String, Long> limits = new TreeMap<>();
    /** {@code max_actions_per_service}. */
    public final Map<String, Long> perService = new TreeMap<>();
    /** Actions counted. */
    public long actions;
    /** Cents charged. */
    public long cents;
    /** Bytes proxied. */
    public long bytes;
    /** Actions per service. */
    public final Map<String, Long> actionsByService = new TreeMap<>();
    /** While paused: the cap. */
    public @Nullable String pausedCap;
    /** While paused on the per-service cap: the service. */
    public @Nullable String pausedService;
    /** Exact recipients, in the order added; only the owner adds to them. */
    public final List<String> recipients = new ArrayList<>();
    /** Recipient pins ({@code {path, op, value}}), in the order added. */
    public final List<ObjectNode> recipientPins = new ArrayList<>();
    /** The output schema. */
    public final @Nullable JsonNode outputSchema;
    /** The output schema, compiled (checked against its meta-schema at open). */
    final @Nullable Schema outputValidator;
    /** {@code sha256:<hex>} of the output. */
    public @Nullable String outputDigest;
    /** Checkpoint interval for the passports. */
    public final @Nullable Long checkpointInterval;
    /** Revoke notes. */
    public @Nullable String notes;
    /** The start's passport. */
    public @Nullable String passportJti;
    /** Renewal links. */
    public @Nullable String renewedFrom;
    /** Renewal links. */
    public @Nullable String renewedTo;
    /** Start time. */
    public final Instant startedAt;
    /** End time. */
    public @Nullable Instant endedAt;

    Mission(
            String id,
            String operatorId,
            @Nullable String agentId,
            String intentSummary,
            List<String> services,
            List<String> recipients,
            @Nullable JsonNode outputSchema,
            @Nullable Schema outputValidator,
            @Nullable Long checkpointInterval,
            Instant startedAt) {
        this.id = id;
        this.operatorId = operatorId;
        this.agentId = agentId;
        this.intentSummary = intentSummary;
        this.services = List.copyOf(services);
        this.recipients.addAll(recipients);
        this.outputSchema = outputSchema;
        this.outputValidator = outputValidator;
        this.checkpointInterval = checkpointInterval;
        this.startedAt = startedAt;
    }

    /**
     * Tells whether the mission has ended.
     *
     * @return true when completed or revoked
     */
    public boolean ended() {
        return status.equals("completed") || status.equals("revoked");
    }
}
