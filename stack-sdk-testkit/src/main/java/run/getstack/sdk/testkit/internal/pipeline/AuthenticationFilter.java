package run.getstack.sdk.testkit.internal.pipeline;

import run.getstack.sdk.testkit.internal.ApiError;
import run.getstack.sdk.testkit.internal.EngineResponse;
import run.getstack.sdk.testkit.internal.state.FakeState;

/**
 * Internal, not for public use. Wire protocol §1.4: a bearer operator key ({@code sk_live_…}) or agent JWT ({@code
 * eyJ…}) on every route that is not public.
 */
public final class AuthenticationFilter implements Filter {
    private static final int MAX_HEADER = 4096;

    private final FakeState state;
    private final Authenticator authenticator;

    /**
     * Creates the filter.
     *
     * @param state the state (authentication reads it under its lock)
     * @param authenticator resolves a token
     */
    public AuthenticationFilter(FakeState state, Authenticator authenticator) {
        this.state = state;
        this.authenticator = authenticator;
    }

    @Override
    public EngineResponse filter(Exchange exchange, Chain next) {
        if (exchange.route().access().isPublic()) {
            return next.proceed(exchange);
        }
        String auth = exchange.request().header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.length() > MAX_HEADER) {
            throw new ApiError(401, "UNAUTHORIZED", "Missing or malformed Authorization header", null);
        }
        String token = auth.substring(7).trim();
        if (!token.startsWith("eyJ") && !token.startsWith("sk_live_") && !token.startsWith("sat_")) {
            throw new ApiError(401, "UNAUTHORIZED", "Malformed bearer token", null);
        }
        Principal p = state.locked(() -> authenticator.authenticate(token));
        exchange.authenticated(p.operatorId(), p.agentId(), p.member());
        return next.proceed(exchange);
    }
}
