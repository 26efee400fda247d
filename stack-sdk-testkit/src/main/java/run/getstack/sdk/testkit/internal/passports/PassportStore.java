package run.getstack.sdk.testkit.internal.passports;

import java.util.LinkedHashMap;
import java.util.Map;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. Passports by jti, in issue order. */
final class PassportStore implements Store {
    final Map<String, Passport> passports = new LinkedHashMap<>();

    @Override
    public void reset() {
        passports.clear();
    }
}
