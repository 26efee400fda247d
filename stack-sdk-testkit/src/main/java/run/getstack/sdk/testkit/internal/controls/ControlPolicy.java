package run.getstack.sdk.testkit.internal.controls;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. One control policy ({@code stack_set_control_policy}'s {@code definition}, the
 * sections the fake implements); immutable, replaced on every revision.
 *
 * @param id {@code cpl_…}
 * @param operatorId owner
 * @param agentId the agent, or null for the account default
 * @param revision 1, 2, …
 * @param connections rule per connection id or provider slug ({@code allow}, {@code review}, {@code deny}), or null
 *     when the section is left out (no limit)
 * @param reviewAbove hold a proxied call whose amount is above this, or null
 * @param amountPath dotted path of the amount in the proxied JSON body
 * @param recipientsPerMission whether recipients come from the mission ({@code "per_mission"})
 * @param recipients the allowed recipients when not per mission, or null when the section is left out
 * @param recipientFields dotted paths of the recipient fields in the proxied JSON body
 * @param updatedAt last change
 */
record ControlPolicy(
        String id,
        String operatorId,
        @Nullable String agentId,
        int revision,
        @Nullable Map<String, String> connections,
        @Nullable Long reviewAbove,
        String amountPath,
        boolean recipientsPerMission,
        @Nullable List<String> recipients,
        List<String> recipientFields,
        Instant updatedAt) {
    boolean recipientsLimited() {
        return recipientsPerMission || recipients != null;
    }
}
