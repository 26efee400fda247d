package run.getstack.sdk.internal.passport;

import org.jspecify.annotations.Nullable;
import run.getstack.sdk.StackApiException;
import run.getstack.sdk.StackException;
import run.getstack.sdk.internal.http.ErrorMapper;
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
        switch (code) {
            case "PASSPORT_REVOKED":
                return new StackPassportRevokedException(
                        e.detailMessage(),
                        e.httpStatus(),
                        code,
                        e.requestId(),
                        e.reason(),
                        e.retryAfter().orElse(null),
                        null);
            case "PASSPORT_EXPIRED":
                return new StackPassportExpiredException(
                        e.detailMessage(),
                        e.httpStatus(),
                        code,
                        e.requestId(),
                        e.reason(),
                        e.retryAfter().orElse(null),
                        null);
            case "PASSPORT_CHECKED_OUT":
                return new StackPassportCheckedOutException(
                        e.detailMessage(),
                        e.httpStatus(),
                        code,
                        e.requestId(),
                        e.reason(),
                        e.retryAfter().orElse(null),
                        null);
            default:
                return null;
        }
    }
}
