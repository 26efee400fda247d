/**
 * Offline verification of STACK passports for services that receive them: {@link
 * run.getstack.sdk.passport.PassportVerifier} checks a passport JWT against STACK's JWKS and returns a {@link
 * run.getstack.sdk.passport.VerifiedPassport}, or throws a {@link
 * run.getstack.sdk.passport.PassportVerificationException} that names the {@link
 * run.getstack.sdk.passport.PassportVerificationException.Reason}. Usable without a STACK client.
 */
@NullMarked
package run.getstack.sdk.passport;

import org.jspecify.annotations.NullMarked;
