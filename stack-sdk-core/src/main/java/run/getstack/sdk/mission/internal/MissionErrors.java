package run.getstack.sdk.mission.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.mission.StackMissionNotPausedException;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * Internal, not for public use. Maps the mission error codes ({@code docs/wire-protocol.md} §1.6) to their exceptions
 * and hands the rest to the next mapper. A {@code MISSION_PAUSED} answer to any call is also recorded in the client's
 * passport guard, so every later call under that mission is refused without a request until the pause is decided.
 */
public final class MissionErrors implements ErrorMapper.CodeMapper {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private final ErrorMapper.CodeMapper next;
    private final PassportGuard guard;

    /**
     * Creates the mapper.
     *
     * @param next the mapper for every other code
     * @param guard the client's passport guard
     */
    public MissionErrors(ErrorMapper.CodeMapper next, PassportGuard guard) {
        this.next = Objects.requireNonNull(next, "next");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public @Nullable StackException map(StackApiException e) {
        return map(e, null);
    }

    @Override
    public @Nullable StackException map(StackApiException e, @Nullable JsonNode details) {
        String code = e.errorCode();
        if ("MISSION_PAUSED".equals(code)) {
            String missionId = valid(details, "mission_id", ID);
            String cap = valid(details, "paused_cap", NAME);
            String service = valid(details, "paused_service", NAME);
            StackMissionPausedException paused = new StackMissionPausedException(
                    "mission " + (missionId == null ? "(unnamed)" : missionId) + " is paused"
                            + (cap == null
                                    ? ""
                                    : ": its " + cap + " cap" + (service == null ? "" : " on " + service) + " is full")
                            + "; waiting for the owner's decision (Mission.awaitDecision): " + e.detailMessage(),
                    e.httpStatus(),
                    code,
                    e.requestId(),
                    missionId,
                    cap,
                    service,
                    null,
                    null);
            guard.markMissionPaused(paused);
            return paused;
        }
        if (StackMissionNotPausedException.CODE.equals(code)) {
            return new StackMissionNotPausedException(
                    "the mission is not paused, so there is no pause to decide (" + e.detailMessage() + ")",
                    e.httpStatus(),
                    e.requestId(),
                    e);
        }
        if ("MISSION_REQUIRED".equals(code)) {
            return new StackInvalidRequestException(
                    "STACK issues a passport only for a live mission (" + e.detailMessage() + "): start one with"
                            + " client.missions().start(MissionRequest), or issue with"
                            + " PassportRequest.builder().missionId(...) for a mission opened with"
                            + " client.missions().open(...)",
                    e.httpStatus(),
                    code,
                    e.requestId(),
                    e.reason(),
                    null,
                    null);
        }
        return next.map(e, details);
    }

    private static @Nullable String valid(@Nullable JsonNode details, String field, Pattern p) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        return n != null && n.isTextual() && p.matcher(n.asText()).matches() ? n.asText() : null;
    }
}
