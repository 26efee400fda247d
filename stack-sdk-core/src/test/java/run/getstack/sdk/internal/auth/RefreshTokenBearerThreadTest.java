package run.getstack.sdk.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * An exchange whose thread cannot start leaves nothing in flight. Review finding: the exchange was published before its
 * thread started, so a failed start (no native thread left) left every later caller waiting on it until close().
 */
class RefreshTokenBearerThreadTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @TempDir
    Path home;

    @Test
    void aThreadThatCannotStartFailsThatCallOnlyAndTheNextCallExchanges(FakeControlPlane fake) throws Exception {
        Path path = CredentialsFile.inHome(home);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "{\"refresh_token\":\"" + fake.seed().refreshToken() + "\"}");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        try (StackClient transportOwner = StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .build()) {
            RefreshTokenBearer bearer = new RefreshTokenBearer(CredentialsFile.open(path), CLOCK, () -> 0.5);
            bearer.connect(ClientTestHooks.transport(transportOwner));
            AtomicInteger made = new AtomicInteger();
            bearer.threadFactory(r -> {
                if (made.incrementAndGet() == 1) {
                    throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                }
                return new Thread(r, "test-exchange");
            });

            assertThatThrownBy(bearer::get)
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("could not start the refresh-token exchange");
            assertThat(fake.journal().count("POST", RefreshTokenBearer.TOKEN_PATH))
                    .isZero();

            CLOCK.advance(java.time.Duration.ofMinutes(1)); // past the cache's backoff after the failure
            try (Secret token = bearer.get()) { // would wait for ever on the exchange that never started
                assertThat(token.length()).isPositive();
            }
            assertThat(fake.journal().count("POST", RefreshTokenBearer.TOKEN_PATH))
                    .isEqualTo(1);
            bearer.close();
        }
    }
}
