/**
 * Internal, not for public use. Identity claims (wire protocol §10.2): the providers, the verification flow a test
 * drives ({@code FakeControlPlane.identity()}), the operator's claims that passports embed, and claim revocation,
 * which revokes every passport carrying the claim as one {@code bulk_claim} event.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.identity;

import org.jspecify.annotations.NullMarked;
