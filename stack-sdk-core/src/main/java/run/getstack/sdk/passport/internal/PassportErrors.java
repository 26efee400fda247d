package run.getstack.sdk.passport.internal;

import java.util.Map;
import run.getstack.sdk.internal.http.ErrorCodes;
import run.getstack.sdk.passport.StackPassportBlockedException;
import run.getstack.sdk.passport.StackPassportCheckedOutException;
import run.getstack.sdk.passport.StackPassportExpiredException;
import run.getstack.sdk.passport.StackPassportRevokedException;

/** Internal, not for public use. The passport-state error codes and their exceptions, for {@link ErrorCodes}. */
public final class PassportErrors {
    private PassportErrors() {}

    /**
     * Returns the passport capability's error codes.
     *
     * @return code to exception factory
     */
    public static Map<String, ErrorCodes.Factory> codes() {
        return Map.of(
                "PASSPORT_REVOKED", ErrorCodes.typed("", StackPassportRevokedException::new),
                "PASSPORT_EXPIRED", ErrorCodes.typed("", StackPassportExpiredException::new),
                "PASSPORT_CHECKED_OUT", ErrorCodes.typed("", StackPassportCheckedOutException::new),
                "PASSPORT_BLOCKED", ErrorCodes.typed("", StackPassportBlockedException::new));
    }
}
