package run.getstack.sdk.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import run.getstack.sdk.testkit.internal.Engine;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Seeds one grant of scopes on a connection to an agent, from {@link Seed#newGrant(String, String)}, with proxy
 * constraints (wire protocol §3.2) that passports issued from it carry and {@code /v1/proxy} enforces:
 *
 * <pre>{@code
 * fake.seed().newGrant(agent, github).scopes("repo")
 *         .constraint("method", ConstraintOp.EQ, "GET")
 *         .constraint("url.pathname", ConstraintOp.STARTS_WITH, "/repos/acme/")
 *         .create();
 * }</pre>
 *
 * <p>Not thread-safe; use one builder per grant.
 */
public final class GrantSeed {
    private final Engine engine;
    private final String agentId;
    private final String connectionId;
    private final List<String> scopes = new ArrayList<>();
    private final List<ObjectNode> constraints = new ArrayList<>();

    GrantSeed(Engine engine, String agentId, String connectionId) {
        this.engine = engine;
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.connectionId = Objects.requireNonNull(connectionId, "connectionId");
    }

    /**
     * Adds granted scopes.
     *
     * @param scopes at least one in all
     * @return this
     */
    public GrantSeed scopes(String... scopes) {
        for (String s : scopes) {
            this.scopes.add(Objects.requireNonNull(s, "scope"));
        }
        return this;
    }

    /**
     * Adds a proxy constraint.
     *
     * @param path {@code method}, {@code url.pathname}, {@code url.host}, {@code url.origin}, {@code headers.<name>},
     *     {@code query.<key>} or {@code body.<dotted.path>}
     * @param op the operator
     * @param value a string, number or boolean; a list for {@link ConstraintOp#IN} and {@link ConstraintOp#NOT_IN}
     * @return this
     */
    public GrantSeed constraint(String path, ConstraintOp op, Object value) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        ObjectNode c = Json.object();
        c.put("path", path);
        c.put("op", op.wireValue());
        c.set("value", Json.MAPPER.valueToTree(value));
        constraints.add(c);
        return this;
    }

    /**
     * Grants the scopes (as {@code POST /v1/agents/{id}/grants} would).
     *
     * @throws IllegalStateException if no scope was given
     * @throws IllegalArgumentException if the fake refuses a value (unknown agent or connection, bad constraint)
     */
    public void create() {
        if (scopes.isEmpty()) {
            throw new IllegalStateException("a grant needs at least one scope");
        }
        List<String> s = List.copyOf(scopes);
        List<ObjectNode> c = List.copyOf(constraints);
        Seed.call(() -> {
            engine.seedGrant(agentId, connectionId, s, c);
            return null;
        });
    }

    @Override
    public String toString() {
        return "GrantSeed[" + agentId + " on " + connectionId + ", scopes=" + scopes + "]";
    }
}
