/**
 * Internal, not for public use. Drop-offs (wire protocol §10.1): encrypted agent-to-agent handoffs with a JSON Schema,
 * one sender and one or more recipients, first collector wins, expiry on the fake's clock.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.dropoffs;

import org.jspecify.annotations.NullMarked;
