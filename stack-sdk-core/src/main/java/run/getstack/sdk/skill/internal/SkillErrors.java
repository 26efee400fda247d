package run.getstack.sdk.skill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.skill.StackInsufficientCreditsException;
import run.getstack.sdk.skill.StackSkillAccessException;
import run.getstack.sdk.skill.StackTrustLevelException;

/**
 * Internal, not for public use. The skill and wallet codes ({@code docs/wire-protocol.md} §1.6) and their exceptions,
 * for {@link ErrorCodes}.
 */
public final class SkillErrors {
    private SkillErrors() {}

    /**
     * Returns the skills capability's error codes.
     *
     * @return code to exception factory
     */
    public static Map<String, ErrorCodes.Factory> codes() {
        return Map.of(
                "UNAUTHORIZED_SKILL_ACCESS",
                ErrorCodes.typed(
                        "the agent's skill access does not allow this skill: ", StackSkillAccessException::new),
                "TRUST_LEVEL_INSUFFICIENT",
                SkillErrors::trustLevel,
                "INSUFFICIENT_CREDITS",
                ErrorCodes.typed("the wallet holds less than the price: ", StackInsufficientCreditsException::new));
    }

    private static StackException trustLevel(StackApiException e, @Nullable JsonNode details) {
        Integer required = level(details, "required_trust_level");
        Integer has = level(details, "trust_level");
        return new StackTrustLevelException(
                "the skill needs a higher identity trust level"
                        + (required == null
                                ? ""
                                : " (" + required + (has == null ? "" : ", passport gives " + has) + ")")
                        + ": verify with client.identity() and use a passport issued after it: " + e.detailMessage(),
                e.httpStatus(),
                e.errorCode(),
                e.requestId(),
                required,
                has,
                e.retryAfter().orElse(null),
                null);
    }

    private static @Nullable Integer level(@Nullable JsonNode details, String field) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        return n != null && n.isInt() && n.intValue() >= 0 && n.intValue() <= 3 ? n.intValue() : null;
    }
}
