package run.getstack.sdk.mission;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * STACK's missions ({@code client.missions()}, {@code docs/wire-protocol.md} §10.4). Thread-safe. Every method
 * throws a subclass of {@link run.getstack.sdk.StackException} on failure.
 */
public interface Missions {
    /**
     * Opens a mission and issues its passport in one call ({@code POST /v1/missions}), and holds it. Idempotent: a
     * repeat with the same {@link MissionRequest#authorityRequestId()} returns the same mission.
     *
     * @param request what the mission is for
     * @return the held mission; close it to complete the mission
     */
    Mission start(MissionRequest request);

    /**
     * Runs work under a new mission: starts it, runs the body, then completes it with the output the body set; when
     * the body throws, revokes the mission as {@link RevokeReason#OPERATOR_INITIATED_CLEAN} with the failure in its
     * notes and rethrows.
     *
     * @param request what the mission is for
     * @param body the work
     * @param <E> the body's checked exception
     * @return the completed mission
     * @throws E what the body threw
     */
    <E extends Exception> MissionInfo run(MissionRequest request, MissionBody<E> body) throws E;

    /**
     * Opens a mission without a passport ({@code POST /v1/missions/open}); issue one with {@code
     * PassportRequest.builder().missionId(...)}.
     *
     * @param request what the mission is for (its passport fields are not sent)
     * @return the mission
     */
    MissionInfo open(MissionRequest request);

    /**
     * Reads a mission.
     *
     * @param missionId {@code ms_...}
     * @return the mission
     */
    MissionInfo get(String missionId);

    /**
     * Lists the account's missions, newest first, reading pages lazily as the iteration goes on.
     *
     * @param status only these, or null for all
     * @return a lazily paged iterable (each iteration reads from the first page again)
     */
    Iterable<MissionInfo> list(@Nullable MissionStatus status);

    /**
     * Renews a mission: a new mission id and passport; the old mission ends.
     *
     * @param missionId the mission to renew
     * @return the new mission, held by this client
     */
    Mission renew(String missionId);

    /**
     * Completes a mission, its output checked against the mission's output schema; its passports are revoked.
     *
     * @param missionId the mission
     * @param output JSON-like Java values, or null for none
     * @return the completed mission
     */
    MissionInfo complete(String missionId, @Nullable Object output);

    /**
     * Revokes a mission and its passports. A second revoke returns the prior state with {@code
     * transitioned=false}.
     *
     * @param missionId the mission
     * @param reason why
     * @param notes a note, up to 1000 characters, or null
     * @return the revocation
     */
    MissionRevocation revoke(String missionId, RevokeReason reason, @Nullable String notes);

    /**
     * Decides a paused mission (operator and member keys only; an agent cannot decide its own pause).
     *
     * @param missionId the mission
     * @param decision raise, continue or close
     * @return the mission after the decision
     * @throws StackMissionNotPausedException ({@code MISSION_NOT_PAUSED}, a {@link run.getstack.sdk.StackConflictException})
     *     if it is not paused
     */
    MissionInfo decide(String missionId, PauseDecision decision);

    /**
     * Adds who a running mission may send to: the owner's call (an operator or member key; STACK refuses an agent,
     * which cannot widen its own mission). The values are merged into what the mission has, each kept once, and
     * nothing is removed.
     *
     * @param missionId the mission
     * @param recipients exact addresses, numbers or ids, at most {@value MissionRequest#MAX_RECIPIENTS} values of 1 to
     *     320 characters
     * @return what the mission may send to after the add
     * @throws IllegalArgumentException if no recipient is given or one is out of range
     * @throws run.getstack.sdk.StackConflictException ({@code MISSION_ENDED}) if the mission has ended
     * @throws run.getstack.sdk.StackPermissionException if the caller is an agent
     */
    MissionRecipients addRecipients(String missionId, List<String> recipients);

    /**
     * Adds who a running mission may send to: the owner's call (an operator or member key; STACK refuses an agent,
     * which cannot widen its own mission). The values are merged into what the mission has, each kept once, and
     * nothing is removed.
     *
     * @param missionId the mission
     * @param recipients exact addresses, numbers or ids, at most {@value MissionRequest#MAX_RECIPIENTS} values of 1 to
     *     320 characters; may be empty when pins are given
     * @param pins recipient pins, at most {@value MissionRequest#MAX_RECIPIENTS}
     * @return what the mission may send to after the add
     * @throws IllegalArgumentException if neither a recipient nor a pin is given, or one is out of range
     * @throws run.getstack.sdk.StackConflictException ({@code MISSION_ENDED}) if the mission has ended
     * @throws run.getstack.sdk.StackPermissionException if the caller is an agent
     */
    MissionRecipients addRecipients(String missionId, List<String> recipients, List<RecipientPin> pins);

    /**
     * Returns a mission's accountability report.
     *
     * @param missionId the mission
     * @return the report
     */
    MissionReport report(String missionId);

    /**
     * Adds a listener for every mission this client holds.
     *
     * @param listener the listener
     */
    void addListener(MissionListener listener);
}
