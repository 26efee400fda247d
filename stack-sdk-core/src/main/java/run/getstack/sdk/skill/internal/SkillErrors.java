package run.getstack.sdk.skill.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.skill.StackInsufficientCreditsException;
import run.getstack.sdk.skill.StackSkillAccessException;
import run.getstack.sdk.skill.StackTrustLevelException;

/**
 * Internal, not for public use. Maps the skill and wallet codes ({@code docs/wire-protocol.md} §1.6) to their
 * exceptions and hands the rest to the next mapper.
 */
public final class SkillErrors implements ErrorMapper.CodeMapper {
    private final ErrorMapper.CodeMapper next;

    /**
     * Creates the mapper.
     *
     * @param next the mapper for every other code
     */
    public SkillErrors(ErrorMapper.CodeMapper next) {
        this.next = Objects.requireNonNull(next, "next");
    }

    @Override
    public @Nullable StackException map(StackApiException e) {
        return map(e, null);
    }

    @Override
    public @Nullable StackException map(StackApiException e, @Nullable JsonNode details) {
        String code = e.errorCode();
        String m = e.detailMessage();
        int status = e.httpStatus();
        String rid = e.requestId();
        Duration retryAfter = e.retryAfter().orElse(null);
        if ("UNAUTHORIZED_SKILL_ACCESS".equals(code)) {
            return new StackSkillAccessException(
                    "the agent's skill access does not allow this skill: " + m,
                    status,
                    code,
                    rid,
                    e.reason(),
                    retryAfter,
                    null);
        }
        if ("TRUST_LEVEL_INSUFFICIENT".equals(code)) {
            Integer required = level(details, "required_trust_level");
            Integer has = level(details, "trust_level");
            return new StackTrustLevelException(
                    "the skill needs a higher identity trust level"
                            + (required == null
                                    ? ""
                                    : " (" + required + (has == null ? "" : ", passport gives " + has) + ")")
                            + ": verify with client.identity() and use a passport issued after it: " + m,
                    status,
                    code,
                    rid,
                    required,
                    has,
                    retryAfter,
                    null);
        }
        if ("INSUFFICIENT_CREDITS".equals(code)) {
            return new StackInsufficientCreditsException(
                    "the wallet holds less than the price: " + m, status, code, rid, e.reason(), retryAfter, null);
        }
        return next.map(e, details);
    }

    private static @Nullable Integer level(@Nullable JsonNode details, String field) {
        if (details == null) {
            return null;
        }
        JsonNode n = details.get(field);
        return n != null && n.isInt() && n.intValue() >= 0 && n.intValue() <= 3 ? n.intValue() : null;
    }
}
