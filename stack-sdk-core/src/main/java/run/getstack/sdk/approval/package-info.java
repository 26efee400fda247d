/**
 * Governance approvals: a person approves an operator write that loosens anything (hosted STACK's live API; {@code
 * docs/wire-protocol.md} §14.4–§14.5).
 *
 * <p>STACK answers such a write (unblocking an agent, a new or wider grant, ...) with {@code
 * GOVERNANCE_APPROVAL_REQUIRED}, which the SDK throws as {@link
 * run.getstack.sdk.StackGovernanceApprovalRequiredException} carrying the approval's id and link. Once the person
 * approved, the same call is sent again with the approval:
 *
 * <pre>{@code
 * try {
 *     stack.agents().unblock(agentId);
 * } catch (StackGovernanceApprovalRequiredException e) {
 *     tellThePerson(e.approvalUrl());
 *     // later, once approved:
 *     stack.agents().unblock(agentId, GovernanceApproval.of(e.approvalId()));
 * }
 * }</pre>
 *
 * <p>{@link run.getstack.sdk.approval.Approvals} ({@code client.approvals()}) reads one approval and lists recent
 * ones. An approval is single use, bound to the exact payload, and lapses after 24 hours.
 */
@NullMarked
package run.getstack.sdk.approval;

import org.jspecify.annotations.NullMarked;
