package run.getstack.sdk.approval;

import java.util.List;

/**
 * STACK's governance approvals ({@code client.approvals()}; {@code docs/wire-protocol.md} §14.5), read only: a person
 * decides them in the browser, never through the API. Thread-safe.
 */
public interface Approvals {
    /** Default number of approvals {@link #listRecent()} returns: 20. */
    int DEFAULT_LIMIT = 20;

    /** Most approvals STACK keeps and lists: 100. */
    int MAX_LIMIT = 100;

    /**
     * Reads one approval, with its link ({@code GET /v1/approvals/{id}}).
     *
     * @param approvalId the {@code gvr_…} id
     * @return the approval
     * @throws run.getstack.sdk.StackNotFoundException if the account has no such approval
     */
    GovernanceApprovalInfo get(String approvalId);

    /**
     * Lists the {@value #DEFAULT_LIMIT} most recent approvals, newest first.
     *
     * @return the approvals (without links)
     */
    default List<GovernanceApprovalInfo> listRecent() {
        return listRecent(DEFAULT_LIMIT, null);
    }

    /**
     * Lists recent approvals, newest first ({@code GET /v1/approvals?limit=&status=}).
     *
     * @param limit 1 to {@value #MAX_LIMIT}
     * @param status only those in this state, or null for all
     * @return the approvals (without links)
     */
    List<GovernanceApprovalInfo> listRecent(
            int limit, @org.jspecify.annotations.Nullable GovernanceApprovalStatus status);
}
