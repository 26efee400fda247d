/**
 * Reading STACK's audit log ({@code client.auditLog()}): query it, follow it as it grows, export it as a stream,
 * and check its hash chain, on the server and locally.
 *
 * <p>{@link run.getstack.sdk.auditlog.AuditLog} is the resource. {@link run.getstack.sdk.auditlog.AuditChainVerifier}
 * checks an exported chain without STACK (STACK's documented preimage) and names the first bad entry. Writing the
 * agent's own audit events is a different capability, in {@code run.getstack.sdk.audit}.
 */
@NullMarked
package run.getstack.sdk.auditlog;

import org.jspecify.annotations.NullMarked;
