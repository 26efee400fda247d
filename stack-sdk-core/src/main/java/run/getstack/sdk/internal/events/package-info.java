/**
 * Internal, not for public use; may change without notice. The client's one event hook: what the SDK does on the
 * agent's behalf (passports, leases, proxy calls, revocations seen, local refusals) is published here once, and the
 * audit writer (and listeners) consume it.
 */
@NullMarked
package run.getstack.sdk.internal.events;

import org.jspecify.annotations.NullMarked;
