package run.getstack.sdk.control;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Why a control policy refused a call ({@code CONTROL_DENIED}'s {@code details.reason}, docs/wire-protocol.md §15).
 * The first four are STACK's (its live tools name them); the rest are the answers to a resend of a held call.
 */
public enum ControlDenialReason {
    /** Held for the owner's review: {@link StackReviewRequiredException}, resumable once approved. */
    REVIEW_REQUIRED,
    /** The policy has connection rules and this connection is not among them. */
    CONNECTION_NOT_LISTED,
    /** The policy allows sends only to the mission's recipients, and the mission names none. */
    RECIPIENTS_NOT_PINNED,
    /** A recipient of the call is not one the policy (or the mission) allows. */
    RECIPIENT_NOT_ALLOWED,
    /** The policy denies every call on this connection. */
    CONNECTION_DENIED,
    /** The owner rejected the held call. */
    REVIEW_REJECTED,
    /** The held call was not approved, or not resent, in time (STACK allows one hour). */
    REVIEW_EXPIRED,
    /** The held call was already resent: a control ref is good for one resend. */
    REVIEW_CONSUMED,
    /** The resend was not the held request byte for byte. */
    CONTROL_REF_MISMATCH,
    /** No held call of this agent has that control ref. */
    CONTROL_REF_UNKNOWN,
    /** The held call was held again under a new control ref after its approval; only the new ref is good now. */
    REVIEW_SUPERSEDED,
    /** A reason this SDK does not know (or none): treat it as a refusal. */
    UNKNOWN;

    /**
     * Returns the reason for STACK's {@code details.reason}.
     *
     * @param reason the wire value, or null
     * @return the reason, {@link #UNKNOWN} for a value this SDK does not know
     */
    public static ControlDenialReason fromWire(@Nullable String reason) {
        if (reason == null) {
            return UNKNOWN;
        }
        for (ControlDenialReason r : values()) {
            if (r != UNKNOWN && r.wireName().equals(reason)) {
                return r;
            }
        }
        return UNKNOWN;
    }

    /**
     * Returns the wire value.
     *
     * @return e.g. {@code review_required}
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
