package run.getstack.sdk.testkit.internal.route;

/**
 * Internal, not for public use. The least team-member role a route needs (wire protocol §2: {@code M:r}, {@code
 * M:s}, {@code M:a}). The fake authenticates operators and agents only; the role is recorded with each route so
 * member keys can be checked against it where they are added.
 */
public enum MemberRole {
    /** {@code M:r}: read. */
    READ,
    /** {@code M:s}: standard (read and change). */
    STANDARD,
    /** {@code M:a}: admin. */
    ADMIN
}
