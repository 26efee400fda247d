package run.getstack.sdk.skill;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A skill of STACK's marketplace (wire protocol §10.3).
 *
 * @param id the skill ({@code skl_…})
 * @param name its name
 * @param description what it does, if the publisher said
 * @param priceCents the price of one invocation, 0 when free
 * @param requiredTrustLevel the identity level (0–3) the caller's passport must hold: 1 a verified human, 2 a verified
 *     identity, 3 delegated authority
 */
public record Skill(String id, String name, @Nullable String description, long priceCents, int requiredTrustLevel) {
    /**
     * Creates the value.
     *
     * @param id the id
     * @param name the name
     * @param description the description, or null
     * @param priceCents the price
     * @param requiredTrustLevel the trust level
     */
    public Skill {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
