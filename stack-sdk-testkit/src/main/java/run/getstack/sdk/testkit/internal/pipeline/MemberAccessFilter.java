package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.route.MemberPrincipal;
import run.getstack.sdk.testkit.internal.route.MemberRole;

/**
 * Internal, not for public use. Wire protocol §1.4: a team member may call a route only if the route admits members
 * (operator-only routes such as security events refuse them) and the member's role includes the route's least role;
 * otherwise 403 {@code FORBIDDEN} ({@code details.reason} {@code member_not_allowed} or {@code member_role}).
 * {@code allowed_connections} is checked where a connection is resolved.
 */
public final class MemberAccessFilter implements Filter {
    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        MemberPrincipal member = exchange.member();
        if (member != null) {
            MemberRole needed = exchange.route().access().memberRole();
            if (needed == null) {
                throw ApiError.reason(
                        403, "FORBIDDEN", "Team members may not call this endpoint", "member_not_allowed");
            }
            if (!member.role().includes(needed)) {
                throw ApiError.reason(
                        403, "FORBIDDEN", "This needs the " + needed.wire() + " role or higher", "member_role");
            }
        }
        return next.proceed(exchange);
    }
}
