/**
 * Drop-offs: encrypted agent-to-agent handoffs ({@code docs/wire-protocol.md} §10.1).
 *
 * <p>{@link run.getstack.sdk.dropoff.Dropoffs} ({@code client.dropoffs()}) creates a drop-off from one agent to one or
 * more others with a JSON Schema the package must meet, deposits the package, collects it, reads its status and
 * expires it. STACK validates the package, keeps it encrypted and deletes it on the first collect: with several
 * recipients the first collector takes it and the others get {@link
 * run.getstack.sdk.dropoff.StackDropoffAlreadyCollectedException} naming who did.
 *
 * <pre>{@code
 * record Handoff(int ticket, String summary) {}
 *
 * Dropoff d = stack.dropoffs().create(DropoffRequest.builder()
 *         .to("agt_billing")
 *         .schemaJson("{\"type\":\"object\",\"required\":[\"ticket\",\"summary\"]}")
 *         .build());
 * stack.dropoffs().deposit(d.id(), new Handoff(42, "refund order 1234"));
 * // in the billing agent:
 * Handoff h = billing.dropoffs().collect(d.id(), Handoff.class);
 * }</pre>
 *
 * <p>Packages map to and from the caller's own types through a {@link run.getstack.sdk.dropoff.PayloadCodec}; the
 * default one is built in and needs nothing from the caller.
 */
@NullMarked
package run.getstack.sdk.dropoff;

import org.jspecify.annotations.NullMarked;
