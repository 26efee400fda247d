package run.getstack.sdk.internal.values;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Internal, not for public use. The one rule of the SDK's open-enum value classes ({@code AccountabilityMode},
 * {@code Severity}, ...): a wire string maps to the class's constant when it is known, else to a new unknown value,
 * provided it is 1 to 64 characters of {@code [a-z0-9_.-]} starting with a letter or digit.
 */
public final class WireValues {
    private static final Pattern VALUE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private WireValues() {}

    /**
     * Returns the known constant for a wire string, or a new unknown value.
     *
     * @param field the wire field, named in the error ({@code accountability_mode})
     * @param value the wire string
     * @param known the class's constants
     * @param wire a constant's wire string
     * @param unknown creates an unknown value
     * @param <T> the value class
     * @return the constant or the new value
     * @throws IllegalArgumentException naming {@code field} when the string is not such a value
     * @throws NullPointerException naming {@code field} when it is null
     */
    public static <T> T of(
            String field, String value, List<T> known, Function<T, String> wire, Function<String, T> unknown) {
        Objects.requireNonNull(value, field);
        for (T k : known) {
            if (wire.apply(k).equals(value)) {
                return k;
            }
        }
        if (!VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": not a valid value (1 to 64 characters of [a-z0-9_.-])");
        }
        return unknown.apply(value);
    }
}
