package run.getstack.sdk.passport;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.passport.internal.ReportFormat;

/**
 * The accountability report of one passport ({@code GET /v1/passports/{jti}/report}, STACK's {@code
 * stack_get_passport_report}): its intent, checkpoints, checkout and review decision. Printable with {@link
 * #toText()} and {@link #toJson()}; holds no token.
 *
 * @param jti the passport
 * @param agentId its agent
 * @param missionId its mission, if the server said
 * @param parentJti its parent, for a delegated passport
 * @param intentSummary its intent, if any
 * @param services the intent's services
 * @param issuedAt when it was issued
 * @param expiresAt when it expires (server-side)
 * @param status {@code active}, {@code expired}, {@code revoked} or {@code checked_out}
 * @param checkpoints its checkpoints, oldest first
 * @param checkout its checkout, if any
 * @param review the review decision, if any
 */
public record PassportReport(
        String jti,
        String agentId,
        @Nullable String missionId,
        @Nullable String parentJti,
        @Nullable String intentSummary,
        List<String> services,
        Instant issuedAt,
        Instant expiresAt,
        String status,
        List<Checkpoint> checkpoints,
        @Nullable Checkout checkout,
        @Nullable Review review) {

    /**
     * One checkpoint.
     *
     * @param at when
     * @param servicesUsed the services reported
     * @param actionsCount the actions reported
     * @param summary the summary
     */
    public record Checkpoint(Instant at, List<String> servicesUsed, long actionsCount, String summary) {
        /**
         * Checks and copies the components.
         *
         * @param at when
         * @param servicesUsed the services reported
         * @param actionsCount the actions reported
         * @param summary the summary
         */
        public Checkpoint {
            Objects.requireNonNull(at, "at");
            servicesUsed = List.copyOf(servicesUsed);
            Objects.requireNonNull(summary, "summary");
        }
    }

    /**
     * The checkout.
     *
     * @param status {@code clean}, {@code flagged} or {@code blocked}
     * @param summary the agent's summary
     * @param checkedOutAt when
     */
    public record Checkout(String status, String summary, Instant checkedOutAt) {}

    /**
     * The review decision on a flagged or blocked checkout.
     *
     * @param decision the decision
     * @param decidedAt when
     */
    public record Review(String decision, Instant decidedAt) {}

    /**
     * Checks and copies the components.
     *
     * @param jti the passport
     * @param agentId its agent
     * @param missionId its mission, if the server said
     * @param parentJti its parent, for a delegated passport
     * @param intentSummary its intent, if any
     * @param services the intent's services
     * @param issuedAt when it was issued
     * @param expiresAt when it expires (server-side)
     * @param status its state
     * @param checkpoints its checkpoints, oldest first
     * @param checkout its checkout, if any
     * @param review the review decision, if any
     */
    public PassportReport {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(agentId, "agentId");
        services = List.copyOf(services);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        checkpoints = List.copyOf(checkpoints);
    }

    /**
     * Returns the report as indented text, one fact a line.
     *
     * @return the text
     */
    public String toText() {
        StringBuilder b = new StringBuilder();
        ReportFormat.appendText(this, b, "");
        return b.toString();
    }

    /**
     * Returns the report as a JSON object (the wire's field names).
     *
     * @return compact JSON
     */
    public String toJson() {
        return ReportFormat.json(this).toString();
    }
}
