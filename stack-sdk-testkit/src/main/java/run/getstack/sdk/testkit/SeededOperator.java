package run.getstack.sdk.testkit;

/**
 * An operator created by {@link Seed#operator(String)}; {@link #toString()} never shows the key.
 *
 * @param id {@code op_…}
 * @param apiKey the operator's API key ({@code sk_live_op_…}); the fake keeps only its SHA-256
 */
public record SeededOperator(String id, String apiKey) {
    @Override
    public String toString() {
        return "SeededOperator[id=" + id + ", apiKey=<redacted>]";
    }
}
