package run.getstack.sdk.mission.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.StackInvalidRequestException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.mission.StackMissionNotPausedException;
import run.getstack.sdk.mission.StackMissionPausedException;
import run.getstack.sdk.passport.internal.PassportGuard;

/**
 * Internal, not for public use. The mission error codes ({@code docs/wire-protocol.md} §1.6) and their exceptions, for
 * {@link ErrorCodes}. A {@code MISSION_PAUSED} answer to any call is also recorded in the client's
 * passport guard, so every later call under that mission is refused without a request until the pause is decided.
 */
public final class MissionErrors {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private MissionErrors() {}

    /**
     * Returns the mission capability's error codes.
     *
     * @param guard the client's passport guard, told of every pause
     * @return code to exception factory
     */
    public static Map<String, ErrorCodes.Factory> codes(PassportGuard guard) {
        Objects.requireNonNull(guard, "guard");
        return Map.of(
                "MISSION_PAUSED",
                (e, d) -> paused(e, d, guard),
                StackMissionNotPausedException.CODE,
                MissionErrors::notPaused,
                "MISSION_REQUIRED",
                MissionErrors::missionRequired);
    }

    private static StackException paused(StackApiException e, @Nullable JsonNode details, PassportGuard guard) {
        String code = e.errorCode();
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

    private static StackException notPaused(StackApiException e, @Nullable JsonNode details) {
        return new StackMissionNotPausedException(
                "the mission is not paused, so there is no pause to decide (" + e.detailMessage() + ")",
                e.httpStatus(),
                e.requestId(),
                e);
    }

    private static StackException missionRequired(StackApiException e, @Nullable JsonNode details) {
        return new StackInvalidRequestException(
                "STACK issues a passport only for a live mission (" + e.detailMessage() + "): start one with"
                        + " client.missions().start(MissionRequest), or issue with"
                        + " PassportRequest.builder().missionId(...) for a mission opened with"
                        + " client.missions().open(...)",
                e.httpStatus(),
                e.errorCode(),
                e.requestId(),
                e.reason(),
                null,
                null);
    }

    private static @Nullable String valid(@Nullable JsonNode details, String field, Pattern p) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        return n != null && n.isTextual() && p.matcher(n.asText()).matches() ? n.asText() : null;
    }
}
