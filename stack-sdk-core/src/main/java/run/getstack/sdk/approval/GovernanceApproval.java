package run.getstack.sdk.approval;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person's approval to send with a call that STACK answered with {@code GOVERNANCE_APPROVAL_REQUIRED}: the call is
 * sent again, unchanged, with {@code governance_approval_id}. Immutable.
 */
public final class GovernanceApproval {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final String id;

    private GovernanceApproval(String id) {
        this.id = id;
    }

    /**
     * Wraps an approval id.
     *
     * @param approvalId the {@code gvr_…} id from {@link
     *     run.getstack.sdk.StackGovernanceApprovalRequiredException#approvalId()}
     * @return the approval
     * @throws IllegalArgumentException if it is not an id
     */
    public static GovernanceApproval of(String approvalId) {
        Objects.requireNonNull(approvalId, "approvalId");
        if (!ID.matcher(approvalId).matches()) {
            throw new IllegalArgumentException("approvalId: must be 1 to 128 characters of [A-Za-z0-9_-]");
        }
        return new GovernanceApproval(approvalId);
    }

    /**
     * Returns the approval id.
     *
     * @return the {@code gvr_…} id
     */
    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GovernanceApproval g && g.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "GovernanceApproval[" + id + "]";
    }
}
