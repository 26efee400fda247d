package run.getstack.sdk.testkit;

import java.util.Locale;

/** The operator of a proxy constraint on a grant (wire protocol §3.2: {@code op}). */
public enum ConstraintOp {
    /** Equal to the value. */
    EQ,
    /** Not equal to the value. */
    NOT_EQ,
    /** One of the values (a list). */
    IN,
    /** None of the values (a list). */
    NOT_IN,
    /** Matches the regular expression. */
    MATCHES,
    /** Starts with the value. */
    STARTS_WITH;

    /**
     * The value on the wire.
     *
     * @return e.g. {@code not_in}
     */
    public String wireValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
