package run.getstack.sdk;

import java.nio.file.Path;
import java.time.Duration;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * A second process for {@link CredentialDiscoveryTest}: a client on the shared credentials file that makes its token
 * stale before each of {@code n} calls, so each call rotates the refresh token. Prints {@code rotated <n>} on success.
 */
public final class CredentialsChildMain {
    private CredentialsChildMain() {}

    /**
     * Runs the child.
     *
     * @param args base URL, home directory, number of calls
     */
    public static void main(String[] args) {
        int n = Integer.parseInt(args[2]);
        TestClock clock = TestClock.create();
        try (StackClient c = StackClient.builder()
                .baseUrl(args[0])
                .clock(clock)
                .environment(name -> null)
                .homeDirectory(Path.of(args[1]))
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .build()) {
            for (int i = 0; i < n; i++) {
                clock.advance(Duration.ofSeconds(301));
                c.services().catalog().stream().count();
            }
        }
        System.out.println("rotated " + n);
    }
}
