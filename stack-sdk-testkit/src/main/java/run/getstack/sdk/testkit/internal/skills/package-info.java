/**
 * Internal, not for public use. Skills, the buyer side (wire protocol §10.3): skills are handlers a test registers
 * ({@code FakeControlPlane.skill(name)}); an invocation runs its handler at once, measures the time it took on the
 * fake's clock and enforces STACK's 30-second sealed-skill limit; skill access, trust level and the wallet are checked
 * before it runs.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.skills;

import org.jspecify.annotations.NullMarked;
