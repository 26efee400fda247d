/**
 * STACK's control policies as an agent meets them (docs/wire-protocol.md §15): a call a policy refuses fails with
 * {@link run.getstack.sdk.control.StackControlDeniedException} ({@code CONTROL_DENIED}, its {@link
 * run.getstack.sdk.control.ControlDenialReason}); a call a policy holds for the owner's review fails with {@link
 * run.getstack.sdk.control.StackReviewRequiredException}, whose {@link run.getstack.sdk.control.ReviewHold} resends
 * the exact request once the owner approved.
 */
@NullMarked
package run.getstack.sdk.control;

import org.jspecify.annotations.NullMarked;
