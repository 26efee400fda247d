package run.getstack.sdk.passport;

import java.util.List;
import java.util.Objects;

/**
 * The result of revoking one passport.
 *
 * @param jti the revoked passport
 * @param cascaded the descendants newly revoked with it, breadth-first
 */
public record RevocationResult(String jti, List<String> cascaded) {
    /**
     * Creates the value, checking its components.
     *
     * @param jti the revoked passport
     * @param cascaded the descendants newly revoked with it, breadth-first
     */
    public RevocationResult {
        Objects.requireNonNull(jti, "jti");
        cascaded = List.copyOf(cascaded);
    }
}
