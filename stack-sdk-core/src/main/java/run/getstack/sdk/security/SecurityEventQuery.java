package run.getstack.sdk.security;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.internal.http.Ids;

/**
 * Which security events {@link SecurityEvents#list(SecurityEventQuery)} returns: unresolved ones of every agent by
 * default. Each setter validates at once ({@link IllegalArgumentException} naming the field). Immutable.
 */
public final class SecurityEventQuery {
    /** The default page size: {@value} (STACK's default {@code limit}). */
    public static final int DEFAULT_PAGE_SIZE = 50;

    /**
     * The largest page size: {@value}. STACK's live tool schema allows 1 to 500; its older REST page and this
     * project's fake allow 1 to 100, so page sizes above 100 are refused by the fake.
     */
    public static final int MAX_PAGE_SIZE = 500;

    private final @Nullable String agentId;
    private final boolean includeResolved;
    private final int pageSize;

    private SecurityEventQuery(@Nullable String agentId, boolean includeResolved, int pageSize) {
        this.agentId = agentId;
        this.includeResolved = includeResolved;
        this.pageSize = pageSize;
    }

    /**
     * Unresolved events of every agent, {@value #DEFAULT_PAGE_SIZE} a page.
     *
     * @return the query
     */
    public static SecurityEventQuery unresolved() {
        return new SecurityEventQuery(null, false, DEFAULT_PAGE_SIZE);
    }

    /**
     * Returns a copy limited to one agent's events.
     *
     * @param agentId the agent
     * @return the query
     */
    public SecurityEventQuery agentId(String agentId) {
        return new SecurityEventQuery(Ids.require("agent_id", agentId), includeResolved, pageSize);
    }

    /**
     * Returns a copy that includes (or not) resolved events.
     *
     * @param include whether resolved events are listed too
     * @return the query
     */
    public SecurityEventQuery includeResolved(boolean include) {
        return new SecurityEventQuery(agentId, include, pageSize);
    }

    /**
     * Returns a copy with another page size.
     *
     * @param pageSize 1 to {@value #MAX_PAGE_SIZE}
     * @return the query
     */
    public SecurityEventQuery pageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit: must be 1 to " + MAX_PAGE_SIZE + ", was " + pageSize);
        }
        return new SecurityEventQuery(agentId, includeResolved, pageSize);
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
     * Tells whether resolved events are included.
     *
     * @return true to include them
     */
    public boolean includeResolved() {
        return includeResolved;
    }

    /**
     * Returns the page size.
     *
     * @return the page size
     */
    public int pageSize() {
        return pageSize;
    }

    @Override
    public String toString() {
        return "SecurityEventQuery{agentId=" + agentId + ", includeResolved=" + includeResolved + ", pageSize="
                + pageSize + '}';
    }
}
