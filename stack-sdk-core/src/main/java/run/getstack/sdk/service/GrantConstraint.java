package run.getstack.sdk.service;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule a proxied request must meet under a grant: {@code path} names a part of the request ({@code method},
 * {@code url.pathname}, {@code url.host}, {@code url.origin}, {@code headers.<name>}, {@code query.<key>}, {@code
 * body.<dotted.path>}), {@code op} how it is compared ({@code eq}, {@code not_eq}, {@code in}, {@code not_in},
 * {@code matches} (RE2, at most 256 characters), {@code starts_with}). {@code in} and {@code not_in} take a list,
 * the others one string. Immutable.
 *
 * @param path the request part
 * @param op the comparison
 * @param values the value ({@code in}/{@code not_in}: one or more; others: exactly one)
 */
public record GrantConstraint(String path, String op, List<String> values) {
    /** The operators STACK documents. */
    public static final Set<String> OPS = Set.of("eq", "not_eq", "in", "not_in", "matches", "starts_with");

    /** The longest {@code matches} pattern: {@value}. */
    public static final int MAX_PATTERN_LENGTH = 256;

    private static final Pattern PATH = Pattern.compile(
            "method|url\\.pathname|url\\.host|url\\.origin|headers\\.[A-Za-z0-9-]{1,128}|query\\.[^\\s]{1,256}"
                    + "|body\\.[^\\s]{1,256}");

    /**
     * Checks the rule.
     *
     * @param path the request part
     * @param op the comparison
     * @param values the values
     * @throws IllegalArgumentException naming the bad part
     */
    public GrantConstraint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("constraints.path: not a request part STACK knows: " + path);
        }
        if (!OPS.contains(op)) {
            throw new IllegalArgumentException("constraints.op: must be one of " + OPS);
        }
        boolean list = op.equals("in") || op.equals("not_in");
        if (list ? values.isEmpty() : values.size() != 1) {
            throw new IllegalArgumentException(
                    "constraints.value: '" + op + "' takes " + (list ? "one or more values" : "exactly one value"));
        }
        if (op.equals("matches") && values.get(0).length() > MAX_PATTERN_LENGTH) {
            throw new IllegalArgumentException(
                    "constraints.value: a 'matches' pattern is at most " + MAX_PATTERN_LENGTH + " characters");
        }
    }

    /**
     * A constraint with one value.
     *
     * @param path the request part
     * @param op any operator but {@code in}/{@code not_in}
     * @param value the value
     * @return the constraint
     */
    public static GrantConstraint of(String path, String op, String value) {
        return new GrantConstraint(path, op, List.of(Objects.requireNonNull(value, "value")));
    }

    /**
     * An {@code in} constraint.
     *
     * @param path the request part
     * @param values the allowed values
     * @return the constraint
     */
    public static GrantConstraint in(String path, List<String> values) {
        return new GrantConstraint(path, "in", values);
    }
}
