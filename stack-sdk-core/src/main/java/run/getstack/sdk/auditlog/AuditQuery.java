package run.getstack.sdk.auditlog;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Ids;

/**
 * A query of {@link AuditLog#query(AuditQuery)} ({@code GET /v1/audit}): the newest {@code limit} entries after
 * {@code since}, optionally for one agent or passport. Setters validate at once ({@link IllegalArgumentException}
 * naming the parameter). Immutable.
 */
public final class AuditQuery {
    /** STACK's default {@code limit}: {@value}. */
    public static final int DEFAULT_LIMIT = 20;

    /** STACK's largest {@code limit}: {@value}. */
    public static final int MAX_LIMIT = 100;

    private final @Nullable String agentId;
    private final @Nullable String passportJti;
    private final long sinceMillis;
    private final int limit;

    private AuditQuery(@Nullable String agentId, @Nullable String passportJti, long sinceMillis, int limit) {
        this.agentId = agentId;
        this.passportJti = passportJti;
        this.sinceMillis = sinceMillis;
        this.limit = limit;
    }

    /**
     * The newest {@value #DEFAULT_LIMIT} entries of every agent.
     *
     * @return the query
     */
    public static AuditQuery newest() {
        return new AuditQuery(null, null, 0, DEFAULT_LIMIT);
    }

    /**
     * Returns a copy for one agent.
     *
     * @param agentId the agent
     * @return the query
     */
    public AuditQuery agentId(String agentId) {
        return new AuditQuery(Ids.require("agent_id", agentId), passportJti, sinceMillis, limit);
    }

    /**
     * Returns a copy for one passport.
     *
     * @param jti the passport
     * @return the query
     */
    public AuditQuery passportJti(String jti) {
        return new AuditQuery(agentId, Ids.require("passport_jti", jti), sinceMillis, limit);
    }

    /**
     * Returns a copy with entries strictly after a time only.
     *
     * @param sinceMillis Unix milliseconds, zero or more (exclusive)
     * @return the query
     */
    public AuditQuery since(long sinceMillis) {
        if (sinceMillis < 0) {
            throw new IllegalArgumentException("since: must not be negative, was " + sinceMillis);
        }
        return new AuditQuery(agentId, passportJti, sinceMillis, limit);
    }

    /**
     * Returns a copy with another limit.
     *
     * @param limit 1 to {@value #MAX_LIMIT}
     * @return the query
     */
    public AuditQuery limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be 1 to " + MAX_LIMIT + ", was " + limit);
        }
        return new AuditQuery(agentId, passportJti, sinceMillis, limit);
    }

    /**
     * Returns the agent filter, or null.
     *
     * @return the agent
     */
    public @Nullable String agentId() {
        return agentId;
    }

    /**
     * Returns the passport filter, or null.
     *
     * @return the passport
     */
    public @Nullable String passportJti() {
        return passportJti;
    }

    /**
     * Returns the exclusive lower time bound.
     *
     * @return Unix milliseconds
     */
    public long sinceMillis() {
        return sinceMillis;
    }

    /**
     * Returns the limit.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "AuditQuery{agentId=" + agentId + ", passportJti=" + passportJti + ", since=" + sinceMillis + ", limit="
                + limit + '}';
    }
}
