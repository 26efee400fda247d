package run.getstack.sdk.passport.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ErrorMapper;
import run.getstack.sdk.passport.StackPassportBlockedException;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** Internal, not for public use. Maps the passport-state error codes to their exceptions. */
public final class PassportErrors implements ErrorMapper.CodeMapper {
    /** The one instance. */
    public static final PassportErrors INSTANCE = new PassportErrors();

    private PassportErrors() {}

    @Override
    public @Nullable StackException map(StackApiException e) {
        String code = e.errorCode();
        if (code == null) {
            return null;
        }
        String m = e.detailMessage();
        int status = e.httpStatus();
        String rid = e.requestId();
        String reason = e.reason();
        Duration retryAfter = e.retryAfter().orElse(null);
        return switch (code) {
            case "PASSPORT_REVOKED" ->
                new StackPassportRevokedException(m, status, code, rid, reason, retryAfter, null);
            case "PASSPORT_EXPIRED" ->
                new StackPassportExpiredException(m, status, code, rid, reason, retryAfter, null);
            case "PASSPORT_CHECKED_OUT" ->
                new StackPassportCheckedOutException(m, status, code, rid, reason, retryAfter, null);
            case "PASSPORT_BLOCKED" ->
                new StackPassportBlockedException(m, status, code, rid, reason, retryAfter, null);
            default -> null;
        };
    }
}
