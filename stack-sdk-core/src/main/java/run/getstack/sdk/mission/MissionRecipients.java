package run.getstack.sdk.mission;

import java.util.List;
import java.util.Objects;

/**
 * Who a mission may send to after an owner's add ({@code docs/wire-protocol.md} §10.4.2): everything added so far,
 * each value once, nothing removed.
 *
 * @param missionId {@code ms_...}
 * @param recipients the exact recipients, in the order added
 * @param pins the recipient pins, in the order added
 */
public record MissionRecipients(String missionId, List<String> recipients, List<RecipientPin> pins) {
    /**
     * Checks and copies the components.
     *
     * @param missionId {@code ms_...}
     * @param recipients the exact recipients
     * @param pins the recipient pins
     */
    public MissionRecipients {
        Objects.requireNonNull(missionId, "missionId");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        pins = List.copyOf(Objects.requireNonNull(pins, "pins"));
    }
}
