package run.getstack.sdk.testkit.internal.route;

import java.util.Locale;

/**
 * Internal, not for public use. A team member's role, and the least role a route needs (wire protocol §1.4: {@code
 * M:r}, {@code M:s}, {@code M:a}). Roles are ordered: each includes the ones before it.
 */
public enum MemberRole {
    /** {@code M:r}: {@code readonly}. */
    READ("readonly"),
    /** {@code M:s}: {@code standard} (read and change). */
    STANDARD("standard"),
    /** {@code M:a}: {@code admin}. */
    ADMIN("admin");

    private final String wire;

    MemberRole(String wire) {
        this.wire = wire;
    }

    /**
     * STACK's name of the role.
     *
     * @return {@code readonly}, {@code standard} or {@code admin}
     */
    public String wire() {
        return wire;
    }

    /**
     * Whether this role includes another.
     *
     * @param needed the least role a route needs
     * @return true when this role is at least {@code needed}
     */
    public boolean includes(MemberRole needed) {
        return compareTo(needed) >= 0;
    }

    /**
     * A role by STACK's name.
     *
     * @param wire {@code readonly}, {@code standard} or {@code admin}
     * @return the role
     * @throws IllegalArgumentException otherwise
     */
    public static MemberRole fromWire(String wire) {
        for (MemberRole r : values()) {
            if (r.wire.equals(wire.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be readonly, standard or admin: " + wire);
    }
}
