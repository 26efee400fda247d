package run.getstack.sdk.testkit.internal.route;

import run.getstack.sdk.testkit.internal.EngineResponse;

/** Internal, not for public use. A route's logic; errors are thrown as {@code ApiError}. */
@FunctionalInterface
public interface Handler {
    /**
     * Handles a call.
     *
     * @param call the authenticated call
     * @return the response
     */
    EngineResponse handle(Call call);
}
