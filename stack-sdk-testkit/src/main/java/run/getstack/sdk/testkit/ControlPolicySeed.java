package run.getstack.sdk.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.internal.Engine;

/**
 * Seeds a control policy of the default operator (STACK's {@code stack_set_control_policy}), for one agent or the
 * account default, from {@link FakeControlPlane#controlPolicy(String)}. A policy only narrows: each section left out
 * places no limit. The fake applies it to {@code POST /v1/proxy} (wire protocol §15):
 *
 * <pre>{@code
 * fake.controlPolicy(agent)
 *         .reviewAbove(10_000, "amount")                 // a payment above 10,000 is held for the owner
 *         .connection(stripe, ControlPolicySeed.Rule.ALLOW)
 *         .apply();
 * }</pre>
 *
 * <p>Applying again revises the policy (its revision goes up). Not thread-safe; use one builder per policy.
 */
public final class ControlPolicySeed {
    /** A rule for one connection ({@code definition.connections}). */
    public enum Rule {
        /** Calls on the connection pass (subject to the other sections). */
        ALLOW,
        /** Every call on the connection is held for the owner's review. */
        REVIEW,
        /** Every call on the connection is refused ({@code connection_denied}). */
        DENY
    }

    private final Engine engine;
    private final String operatorId;
    private final @Nullable String agentId;
    private @Nullable Map<String, String> connections;
    private @Nullable Long reviewAbove;
    private String amountPath = "amount";
    private boolean perMission;
    private @Nullable List<String> recipients;
    private final List<String> recipientFields = new ArrayList<>();

    ControlPolicySeed(Engine engine, String operatorId, @Nullable String agentId) {
        this.engine = engine;
        this.operatorId = operatorId;
        this.agentId = agentId;
    }

    /**
     * Adds a connection rule. Once any rule is given, a connection the policy does not list is refused ({@code
     * connection_not_listed}).
     *
     * @param connectionIdOrProvider an {@code scon_…} id or a provider slug
     * @param rule the rule
     * @return this
     */
    public ControlPolicySeed connection(String connectionIdOrProvider, Rule rule) {
        Objects.requireNonNull(connectionIdOrProvider, "connectionIdOrProvider");
        Objects.requireNonNull(rule, "rule");
        if (connections == null) {
            connections = new LinkedHashMap<>();
        }
        connections.put(connectionIdOrProvider, rule.name().toLowerCase(Locale.ROOT));
        return this;
    }

    /**
     * Holds a proxied call whose amount is above {@code amount} ({@code definition.review}); a value at the path that
     * is not a number is held too.
     *
     * @param amount the ceiling (exclusive)
     * @param dottedPath where the amount is in the proxied JSON body (default {@code amount})
     * @return this
     */
    public ControlPolicySeed reviewAbove(long amount, String dottedPath) {
        this.reviewAbove = amount;
        this.amountPath = Objects.requireNonNull(dottedPath, "dottedPath");
        return this;
    }

    /**
     * Allows sends only to the recipients the mission names ({@code "per_mission"}): a send in a mission without
     * recipients is refused ({@code recipients_not_pinned}), to anyone else {@code recipient_not_allowed}.
     *
     * @param fields dotted paths of the recipient fields in the proxied JSON body (at least one)
     * @return this
     */
    public ControlPolicySeed recipientsPerMission(String... fields) {
        this.perMission = true;
        this.recipients = null;
        return recipientFields(fields);
    }

    /**
     * Allows sends only to these recipients ({@code recipient_not_allowed} otherwise).
     *
     * @param allowed the exact values
     * @param fields dotted paths of the recipient fields in the proxied JSON body (at least one)
     * @return this
     */
    public ControlPolicySeed recipients(List<String> allowed, String... fields) {
        this.perMission = false;
        this.recipients = List.copyOf(allowed);
        return recipientFields(fields);
    }

    private ControlPolicySeed recipientFields(String... fields) {
        if (fields.length == 0) {
            throw new IllegalArgumentException("fields: name at least one recipient field");
        }
        recipientFields.clear();
        for (String f : fields) {
            recipientFields.add(Objects.requireNonNull(f, "field"));
        }
        return this;
    }

    /**
     * Creates or revises the policy.
     *
     * @return the policy id ({@code cpl_…})
     */
    public String apply() {
        return engine.locked(() -> engine.controls()
                .setPolicy(
                        operatorId,
                        agentId,
                        connections,
                        reviewAbove,
                        amountPath,
                        perMission,
                        recipients,
                        recipientFields));
    }

    @Override
    public String toString() {
        return "ControlPolicySeed[" + (agentId == null ? "account default" : agentId) + "]";
    }
}
