/**
 * Missions: the unit every passport belongs to (hosted STACK's live API; {@code docs/wire-protocol.md} §10.4).
 *
 * <p>{@link run.getstack.sdk.mission.Missions} ({@code client.missions()}) opens, starts, lists, renews, completes,
 * revokes and decides missions. {@link run.getstack.sdk.mission.Mission} is a started mission held by the agent: it
 * holds the mission's passport, sends checkpoints for enforced agents, tells {@link
 * run.getstack.sdk.mission.MissionListener}s about pauses and the end, and completes the mission when closed:
 *
 * <pre>{@code
 * try (Mission m = stack.missions().start(MissionRequest.builder("Post the weekly update").services("slack").build())) {
 *     ... m.passport() ...
 *     m.output(Map.of("posted", true));
 * }
 * }</pre>
 *
 * <p>A mission's end (completion or revocation) is a revocation for every check in the SDK. A paused mission is its
 * own state: calls under it fail at once with {@link run.getstack.sdk.mission.StackMissionPausedException}.
 */
@NullMarked
package run.getstack.sdk.mission;

import org.jspecify.annotations.NullMarked;
