package run.getstack.sdk.dropoff;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.internal.http.Json;

/**
 * What {@link Dropoffs#create(DropoffRequest)} sends: the sender, the recipients, the JSON Schema the package must meet
 * and how long the drop-off lives. Immutable; built with {@link #builder()}, each setter checking its value at once.
 *
 * <pre>{@code
 * DropoffRequest.builder()
 *         .to("agt_billing", "agt_billing_backup") // the first to collect takes the package
 *         .schemaJson("{\"type\":\"object\",\"required\":[\"ticket\"]}")
 *         .ttl(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 */
public final class DropoffRequest {
    /** Default {@link #ttl()}: 30 minutes, as STACK's. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);

    /** Longest {@link #ttl()}: 24 hours, STACK's limit. */
    public static final Duration MAX_TTL = Duration.ofHours(24);

    /** Most recipients of one drop-off. */
    public static final int MAX_RECIPIENTS = 50;

    /** Largest schema: 64 KiB of compact UTF-8 JSON. */
    public static final int MAX_SCHEMA_BYTES = 64 * 1024;

    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final @Nullable String fromAgent;
    private final List<String> toAgents;
    private final String schemaJson;
    private final Duration ttl;

    private DropoffRequest(Builder b) {
        this.fromAgent = b.fromAgent;
        this.toAgents = List.copyOf(b.toAgents);
        this.schemaJson = Objects.requireNonNull(b.schemaJson);
        this.ttl = b.ttl;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the sending agent, if set; unset means the client's own agent.
     *
     * @return the sender
     */
    public Optional<String> fromAgent() {
        return Optional.ofNullable(fromAgent);
    }

    /**
     * Returns the recipients, in the order given.
     *
     * @return one or more agent ids
     */
    public List<String> toAgents() {
        return toAgents;
    }

    /**
     * Returns the JSON Schema the package must meet, as compact JSON text.
     *
     * @return the schema
     */
    public String schemaJson() {
        return schemaJson;
    }

    /**
     * Returns how long the drop-off lives.
     *
     * @return the TTL, whole seconds
     */
    public Duration ttl() {
        return ttl;
    }

    @Override
    public String toString() {
        return "DropoffRequest{from=" + fromAgent + ", to=" + toAgents + ", ttl=" + ttl + ", schema="
                + schemaJson.length() + " chars}";
    }

    /** Builds a {@link DropoffRequest}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String fromAgent;
        private final List<String> toAgents = new ArrayList<>();
        private @Nullable String schemaJson;
        private Duration ttl = DEFAULT_TTL;

        private Builder() {}

        /**
         * Sets the sending agent (an agent client may only send as itself; by default the client's own agent).
         *
         * @param agentId 1 to 128 characters of {@code [A-Za-z0-9_-]}
         * @return this builder
         */
        public Builder from(String agentId) {
            this.fromAgent = checkId(agentId, "fromAgent");
            return this;
        }

        /**
         * Sets the recipients: one or more of the operator's agents other than the sender. With several, the first to
         * collect takes the package.
         *
         * @param agentIds the recipients, each 1 to 128 characters of {@code [A-Za-z0-9_-]}, no repeats
         * @return this builder
         */
        public Builder to(String... agentIds) {
            Objects.requireNonNull(agentIds, "toAgents");
            return to(List.of(agentIds));
        }

        /**
         * Sets the recipients: one or more of the operator's agents other than the sender.
         *
         * @param agentIds the recipients, each 1 to 128 characters of {@code [A-Za-z0-9_-]}, no repeats
         * @return this builder
         */
        public Builder to(List<String> agentIds) {
            Objects.requireNonNull(agentIds, "toAgents");
            if (agentIds.isEmpty() || agentIds.size() > MAX_RECIPIENTS) {
                throw new IllegalArgumentException("toAgents: must name 1 to " + MAX_RECIPIENTS + " agents");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String a : agentIds) {
                if (!seen.add(checkId(a, "toAgents"))) {
                    throw new IllegalArgumentException("toAgents: names " + a + " twice");
                }
            }
            toAgents.clear();
            toAgents.addAll(seen);
            return this;
        }

        /**
         * Sets the JSON Schema the package must meet (draft-07 unless it names another draft in {@code $schema}).
         *
         * @param schemaJson a JSON object (or {@code true}/{@code false}), at most {@link DropoffRequest#MAX_SCHEMA_BYTES} bytes
         * @return this builder
         */
        public Builder schemaJson(String schemaJson) {
            Objects.requireNonNull(schemaJson, "schema");
            byte[] bytes = schemaJson.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_SCHEMA_BYTES) {
                throw new IllegalArgumentException("schema: larger than " + MAX_SCHEMA_BYTES + " bytes");
            }
            JsonNode n;
            try {
                n = Json.parse(bytes, 0, null);
            } catch (StackMalformedResponseException e) {
                throw new IllegalArgumentException("schema: not valid JSON");
            }
            if (!n.isObject() && !n.isBoolean()) {
                throw new IllegalArgumentException("schema: must be a JSON object (or true or false)");
            }
            this.schemaJson = new String(Json.write(n), StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets how long the drop-off lives; an uncollected package is deleted then. Default {@link DropoffRequest#DEFAULT_TTL}.
         *
         * @param ttl 1 second to {@link DropoffRequest#MAX_TTL}, whole seconds
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0
                    || ttl.compareTo(MAX_TTL) > 0
                    || !ttl.equals(Duration.ofSeconds(ttl.toSeconds()))) {
                throw new IllegalArgumentException("ttl: must be whole seconds from 1 s to 24 h, was " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalArgumentException naming {@code toAgents} or {@code schema} when one is missing, or {@code
         *     toAgents} when it names the sender
         */
        public DropoffRequest build() {
            if (toAgents.isEmpty()) {
                throw new IllegalArgumentException("toAgents: at least one recipient is required");
            }
            if (schemaJson == null) {
                throw new IllegalArgumentException("schema: required (schemaJson)");
            }
            if (fromAgent != null && toAgents.contains(fromAgent)) {
                throw new IllegalArgumentException("toAgents: must not name the sender " + fromAgent);
            }
            return new DropoffRequest(this);
        }

        private static String checkId(String id, String parameter) {
            Objects.requireNonNull(id, parameter);
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException(parameter + ": must be 1 to 128 characters of [A-Za-z0-9_-]");
            }
            return id;
        }
    }
}
