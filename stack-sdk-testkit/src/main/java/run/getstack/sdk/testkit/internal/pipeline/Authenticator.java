package run.getstack.sdk.testkit.internal.pipeline;

/** Internal, not for public use. Resolves a bearer token to a principal; runs under the state lock. */
@FunctionalInterface
public interface Authenticator {
    /**
     * Authenticates.
     *
     * @param token the bearer token (without {@code Bearer })
     * @return the principal
     * @throws run.getstack.sdk.testkit.internal.ApiError 401 when the token is not accepted
     */
    Principal authenticate(String token);
}
