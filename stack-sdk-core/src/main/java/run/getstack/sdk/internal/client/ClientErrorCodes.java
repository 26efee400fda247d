package run.getstack.sdk.internal.client;

import run.getstack.sdk.control.internal.ControlErrors;
import run.getstack.sdk.dropoff.internal.DropoffErrors;
import run.getstack.sdk.intent.internal.IntentErrors;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.mission.internal.MissionErrors;
import run.getstack.sdk.passport.internal.PassportErrors;
import run.getstack.sdk.passport.internal.PassportGuard;
import run.getstack.sdk.skill.internal.SkillErrors;

/** Internal, not for public use. The error codes of every capability of a {@code StackClient}, in one registry. */
public final class ClientErrorCodes {
    private ClientErrorCodes() {}

    /**
     * Registers each capability's codes; the registry refuses a code registered twice, so the order does not matter.
     *
     * @param passportGuard the client's passport guard (a mission pause is recorded there)
     * @return the registry for the client's transport
     */
    public static ErrorCodes of(PassportGuard passportGuard) {
        return ErrorCodes.builder()
                .codes("passports", PassportErrors.codes())
                .codes("missions", MissionErrors.codes(passportGuard))
                .codes("controls", ControlErrors.codes())
                .codes("skills", SkillErrors.codes())
                .codes("dropoffs", DropoffErrors.codes())
                .reasonPrefixes("intents", IntentErrors.reasonPrefixes())
                .build();
    }
}
