/**
 * The audit writer: the agent's own events (and the SDK's) shipped to STACK's client ingest endpoint
 * ({@code POST /v1/audit/events}, docs/wire-protocol.md §8.5), hash-chained per agent, spooled durably on disk, and
 * never dropped silently. Reach it with {@code StackClient.audit()}; configure it with {@link
 * run.getstack.sdk.audit.AuditConfig}; check any exported sequence with {@link
 * run.getstack.sdk.audit.ClientChainVerifier}.
 */
@NullMarked
package run.getstack.sdk.audit;

import org.jspecify.annotations.NullMarked;
