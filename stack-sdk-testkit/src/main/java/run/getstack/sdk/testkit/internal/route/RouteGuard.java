package run.getstack.sdk.testkit.internal.route;

/**
 * Internal, not for public use. A check one module puts in front of another module's route (the control policies in
 * front of {@code POST /v1/proxy}), so the route's handler does not grow with every policy. Guards run after
 * authentication, agent access and idempotency, under the state lock, just before the handler; a guard refuses by
 * throwing an {@code ApiError}, and such a refusal is not the operation's outcome: the idempotency filter does not
 * store it, so a resend runs the guards again.
 */
@FunctionalInterface
public interface RouteGuard {
    /**
     * Checks a call before its handler runs. A guard that cannot read what it needs (an unreadable body, a passport
     * that does not check out) lets the call through: the handler gives the proper error.
     *
     * @param call the call
     */
    void check(Call call);
}
