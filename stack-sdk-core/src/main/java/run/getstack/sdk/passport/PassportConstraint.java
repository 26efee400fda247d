package run.getstack.sdk.passport;

import java.util.List;
import java.util.Objects;

/**
 * A proxy constraint on one service of a passport ({@code stk.services[].constraints[]}, wire protocol §3.2): the
 * control plane's proxy refuses a request whose {@link #path()} does not satisfy {@link #op()} against the values.
 * Read-only; kept exactly as signed, including an operator this SDK does not know.
 *
 * @param path the request part, such as {@code method}, {@code url.host} or {@code body.amount}
 * @param op {@code eq}, {@code not_eq}, {@code in}, {@code not_in}, {@code matches} or {@code starts_with}
 * @param values the value ({@code in}/{@code not_in}: the values), as text
 */
public record PassportConstraint(String path, String op, List<String> values) {
    /**
     * Creates the value, copying the list.
     *
     * @param path the request part
     * @param op the operator
     * @param values the values
     */
    public PassportConstraint {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(op, "op");
        values = List.copyOf(values);
    }
}
