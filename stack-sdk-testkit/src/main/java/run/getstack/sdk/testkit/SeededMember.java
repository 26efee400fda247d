package run.getstack.sdk.testkit;

/**
 * A team member created by {@link Seed#member(String)}: its id ({@code mem_…}) and its member key ({@code
 * sk_live_mem_…}), which authenticates as the member's operator, limited by role and {@code allowed_connections}.
 *
 * @param id the member id
 * @param apiKey the member key (a secret: not shown by {@link #toString()})
 */
public record SeededMember(String id, String apiKey) {
    @Override
    public String toString() {
        return "SeededMember[id=" + id + ", apiKey=<redacted>]";
    }
}
