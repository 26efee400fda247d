/**
 * Internal, not for public use. Missions (wire protocol §10.4): the unit every passport belongs to, with caps counted
 * on credential, lease and proxy calls, pauses, owner decisions, completion and revocation that revoke the mission's
 * passports, and the accountability reports.
 */
@NullMarked
package run.getstack.sdk.testkit.internal.missions;

import org.jspecify.annotations.NullMarked;
