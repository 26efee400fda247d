package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.FaultRule;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Credential discovery (README "Credentials", wire protocol §1.4): explicit key, then {@code STACK_API_KEY}, then
 * {@code ~/.stack/credentials.json}, whose refresh token is exchanged at the fake's token endpoint, rotated on every
 * use and written back atomically, owner-only; clients and processes sharing the file never lock each other out.
 */
class CredentialDiscoveryTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private static final String TOKEN = "/v1/oauth/token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private FakeControlPlane fake;
    private Path file;

    @BeforeEach
    void setUp(FakeControlPlane fake) {
        this.fake = fake;
        this.file = home.resolve(".stack").resolve("credentials.json");
    }

    private StackClient.Builder client(java.time.Clock clock, Map<String, String> env) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .clock(clock)
                .environment(env::get)
                .homeDirectory(home)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled());
    }

    private void writeFile(String json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private String seedFile() throws IOException {
        String token = fake.seed().refreshToken();
        writeFile("{\"refresh_token\":\"" + token + "\",\"operator_email\":\"ops@example.com\"}");
        return token;
    }

    /**
     * A credentials-file token exchange never waits for a scheduler worker. Review finding: the exchange was a
     * scheduler task, queued behind the eight workers waiting for it, and the client's background work stopped.
     */
    @Test
    void everySchedulerWorkerWaitingForTheFirstTokenStillGetsIt() throws Exception {
        seedFile();
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            int workers = 8; // DefaultTaskScheduler's most workers
            CountDownLatch done = new CountDownLatch(workers);
            java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < workers; i++) {
                c.scheduler().submit("needs-a-token-" + i, () -> {
                    try {
                        call(c);
                        succeeded.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(60, TimeUnit.SECONDS))
                    .as("hang guard: every worker's call ends")
                    .isTrue();
            assertThat(succeeded).hasValue(workers);
            assertThat(fake.journal().count("POST", TOKEN)).isEqualTo(1);
        }
    }

    private String refreshTokenInFile() throws IOException {
        return JSON.readTree(Files.readAllBytes(file)).get("refresh_token").asText();
    }

    private boolean posix() {
        return home.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private void assertOwnerOnly() throws IOException {
        if (posix()) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    private static long call(StackClient c) {
        return c.services().catalog().stream().count();
    }

    private int tokenRequests(int status) {
        return (int) fake.journal().entries("POST", TOKEN).stream()
                .filter(e -> e.status() == status)
                .count();
    }

    // ---- the order ----

    @Test
    void anExplicitKeyWinsOverTheEnvironmentAndTheFile() throws IOException {
        String token = seedFile();
        try (StackClient c = client(CLOCK, Map.of("STACK_API_KEY", "sk_live_op_not_a_real_key"))
                .apiKey(fake.operatorApiKey())
                .build()) {
            call(c);
            assertThat(c.toString()).contains("credentials=apiKey");
        }
        assertThat(fake.journal().count("POST", TOKEN)).isZero();
        assertThat(refreshTokenInFile()).isEqualTo(token);
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        String token = seedFile();
        try (StackClient c =
                client(CLOCK, Map.of("STACK_API_KEY", fake.operatorApiKey())).build()) {
            call(c);
            assertThat(c.toString()).contains("credentials=STACK_API_KEY");
        }
        assertThat(fake.journal().count("POST", TOKEN)).isZero();
        assertThat(refreshTokenInFile()).isEqualTo(token);
    }

    @Test
    void aWrongEnvironmentKeyIsUsedNotSkipped() throws IOException {
        seedFile();
        try (StackClient c = client(CLOCK, Map.of("STACK_API_KEY", "sk_live_op_not_a_real_key"))
                .build()) {
            assertThatThrownBy(() -> call(c)).isInstanceOf(StackAuthenticationException.class);
        }
        assertThat(fake.journal().count("POST", TOKEN)).isZero();
    }

    @Test
    void withoutKeyOrEnvironmentTheFileIsExchangedRotatedAndRewrittenOwnerOnlyKeepingItsOtherMembers()
            throws IOException {
        String first = seedFile();
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            assertThat(fake.journal().count("POST", TOKEN))
                    .as("nothing is sent by build()")
                    .isZero();
            call(c);
            call(c);
            assertThat(c.toString())
                    .contains("credentials=credentials file " + file)
                    .doesNotContain(first);
        }
        assertThat(tokenRequests(200)).as("one exchange serves both calls").isEqualTo(1);
        JournalEntry exchange = fake.journal().entries("POST", TOKEN).get(0);
        assertThat(exchange.headers()).doesNotContainKey("authorization");
        assertThat(exchange.headers().get("content-type")).startsWith("application/x-www-form-urlencoded");
        JsonNode json = JSON.readTree(Files.readAllBytes(file));
        assertThat(json.get("refresh_token").asText()).startsWith("srt_").isNotEqualTo(first);
        assertThat(json.get("operator_email").asText()).isEqualTo("ops@example.com");
        assertOwnerOnly();
        try (var entries = Files.list(file.getParent())) {
            assertThat(entries)
                    .as("no temporary file left behind")
                    .containsExactlyInAnyOrder(file, file.resolveSibling("credentials.json.lock"));
        }
    }

    @Test
    void theDefaultLocationIsUserHomeOrUserProfileOnWindows() {
        assertThat(run.getstack.sdk.internal.auth.CredentialsFile.defaultLocation(
                        Map.of("USERPROFILE", "/profiles/ann")::get, "Windows 11", "/home/elsewhere"))
                .isEqualTo(Path.of("/profiles/ann", ".stack", "credentials.json"));
        assertThat(run.getstack.sdk.internal.auth.CredentialsFile.defaultLocation(
                        Map.of("USERPROFILE", "/profiles/ann")::get, "Linux", "/home/ann"))
                .isEqualTo(Path.of("/home/ann", ".stack", "credentials.json"));
        assertThat(run.getstack.sdk.internal.auth.CredentialsFile.defaultLocation(
                        name -> null, "Windows 10", "C:/Users/bob"))
                .isEqualTo(Path.of("C:/Users/bob", ".stack", "credentials.json"));
        assertThat(run.getstack.sdk.internal.auth.CredentialsFile.defaultLocation(name -> null, "Linux", null))
                .isNull();
    }

    // ---- expiry and refresh ahead ----

    @Test
    void theAccessTokenIsRefreshedAheadOfItsExpiryOnTheClientsClockAndNeverServedStale() throws IOException {
        seedFile();
        TestClock clock = TestClock.create();
        try (StackClient c = client(clock, Map.of()).build()) {
            call(c); // exchange 1 at t=0: expires_in 300 s, refreshed ahead from 240 s, not served from 290 s
            clock.advance(Duration.ofSeconds(239));
            call(c);
            assertThat(tokenRequests(200)).isEqualTo(1);
            clock.advance(Duration.ofSeconds(1)); // t=240: one caller refreshes ahead
            call(c);
            assertThat(tokenRequests(200)).isEqualTo(2);
            clock.advance(Duration.ofSeconds(239)); // t=479: 239 s into the second token
            call(c);
            assertThat(tokenRequests(200)).isEqualTo(2);
            clock.advance(Duration.ofSeconds(1000)); // long idle: the cached token is stale, a new one is fetched
            call(c);
            assertThat(tokenRequests(200)).isEqualTo(3);
        }
        assertOwnerOnly();
    }

    @Test
    void concurrentCallersWithNoTokenShareOneExchange() throws Exception {
        seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            List<Future<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(pool.submit(() -> call(c)));
            }
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            gate.release();
            for (Future<Long> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fake.journal().count("POST", TOKEN)).isEqualTo(1);
    }

    @Test
    void anAccessTokenTheServerRefusesIsDroppedAndTheNextCallExchangesAgain() throws IOException {
        seedFile();
        TestClock clientClock = TestClock.create();
        try (StackClient c = client(clientClock, Map.of()).build()) {
            call(c);
            CLOCK.advance(Duration.ofSeconds(301)); // the server's clock ran ahead: its token expired there
            assertThatThrownBy(() -> call(c))
                    .isInstanceOf(StackAuthenticationException.class)
                    .satisfies(e -> assertThat(((StackAuthenticationException) e).reason())
                            .isEqualTo("token_expired"));
            call(c);
        }
        assertThat(tokenRequests(200)).isEqualTo(2);
    }

    // ---- rotation races ----

    @Test
    void aReusedRefreshTokenIsRefusedByTheTokenEndpoint() throws IOException {
        String token = fake.seed().refreshToken();
        OkHttpClient http = new OkHttpClient();
        try {
            assertThat(exchangeRaw(http, token).code()).isEqualTo(200);
            try (Response again = exchangeRaw(http, token)) {
                assertThat(again.code()).isEqualTo(400);
                assertThat(JSON.readTree(again.body().string()).get("error").asText())
                        .isEqualTo("invalid_grant");
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Test
    void aFileHoldingAnAlreadyUsedTokenIsAnAuthenticationErrorNamingTheFileNeverTheToken() throws IOException {
        String token = fake.seed().refreshToken();
        OkHttpClient http = new OkHttpClient();
        try {
            exchangeRaw(http, token).close(); // someone used it and did not write the new one back
        } finally {
            http.dispatcher().executorService().shutdown();
        }
        writeFile("{\"refresh_token\":\"" + token + "\"}");
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            assertThatThrownBy(() -> call(c))
                    .isInstanceOf(StackAuthenticationException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("invalid_grant")
                    .hasMessageContaining("sign in again")
                    .hasMessageNotContaining(token);
        }
        assertThat(tokenRequests(400))
                .as("re-read once: the file still held the refused token, so no second exchange")
                .isEqualTo(1);
        assertThat(refreshTokenInFile()).isEqualTo(token);
    }

    @Test
    void aRotationLostToAWriterThatTakesNoLockReReadsTheFileAndUsesTheWinnersToken() throws Exception {
        String first = seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold().times(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        OkHttpClient http = new OkHttpClient();
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            Future<Long> call = pool.submit(() -> call(c));
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            // another tool (the CLI, say) rotates the same token meanwhile and writes the winner's token
            String winner;
            try (Response r = exchangeRaw(http, first)) {
                assertThat(r.code()).isEqualTo(200);
                winner = JSON.readTree(r.body().string()).get("refresh_token").asText();
            }
            writeFile("{\"refresh_token\":\"" + winner + "\"}");
            gate.release();
            call.get(30, TimeUnit.SECONDS);
            assertThat(refreshTokenInFile()).isNotEqualTo(first).isNotEqualTo(winner);
        } finally {
            pool.shutdownNow();
            http.dispatcher().executorService().shutdown();
        }
        assertThat(tokenRequests(400))
                .as("the client's first try lost the race")
                .isEqualTo(1);
        assertThat(tokenRequests(200))
                .as("the other tool's and the client's retry with the winner's token")
                .isEqualTo(2);
        assertOwnerOnly();
    }

    @Test
    void twoClientsInTwoThreadsShareOneFileFor100RotationsAndNeitherIsLockedOut() throws Exception {
        seedFile();
        int perClient = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            runs.add(pool.submit(() -> {
                TestClock own = TestClock.create(); // each client's clock: every step makes its token stale
                try (StackClient c = client(own, Map.of()).build()) {
                    start.await();
                    for (int i = 0; i < perClient; i++) {
                        own.advance(Duration.ofSeconds(301));
                        call(c);
                        assertOwnerOnly();
                    }
                }
                return perClient;
            }));
        }
        start.countDown();
        try {
            for (Future<Integer> r : runs) {
                assertThat(r.get(120, TimeUnit.SECONDS)).isEqualTo(perClient);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokenRequests(200)).isEqualTo(2 * perClient);
        assertThat(tokenRequests(400))
                .as("the lock makes them take turns: no token is presented twice")
                .isZero();
        assertOwnerOnly();
        assertThat(refreshTokenInFile()).startsWith("srt_");
    }

    @Test
    void twoProcessesShareOneFileFor100RotationsAndNeitherIsLockedOut() throws Exception {
        seedFile();
        int perProcess = 50;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CredentialsChildMain.class.getName(),
                        fake.baseUrl(),
                        home.toString(),
                        Integer.toString(perProcess))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        TestClock own = TestClock.create();
        try (StackClient c = client(own, Map.of()).build()) {
            for (int i = 0; i < perProcess; i++) {
                own.advance(Duration.ofSeconds(301));
                call(c);
                assertOwnerOnly();
            }
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo("rotated " + perProcess);
        assertThat(tokenRequests(200)).isEqualTo(2 * perProcess);
        assertThat(tokenRequests(400)).isZero();
        assertOwnerOnly();
    }

    private Response exchangeRaw(OkHttpClient http, String refreshToken) throws IOException {
        return http.newCall(new Request.Builder()
                        .url(fake.baseUrl() + "/v1/oauth/token")
                        .post(new FormBody.Builder()
                                .add("grant_type", "refresh_token")
                                .add("refresh_token", refreshToken)
                                .build())
                        .build())
                .execute();
    }

    // ---- an interrupted caller does not lose the rotated token ----

    /** A caller thread that records what {@code call} threw and whether its interrupt flag was then set. */
    private static final class Caller extends Thread {
        final java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
                new java.util.concurrent.atomic.AtomicReference<>();
        private final StackClient client;
        volatile boolean interruptFlag;

        Caller(StackClient c) {
            this.client = c;
        }

        @Override
        public void run() {
            try {
                call(client);
            } catch (Throwable e) {
                thrown.set(e);
                interruptFlag = Thread.currentThread().isInterrupted();
            }
        }

        /** Waits for the thread to end; the bound only keeps a broken build from hanging. */
        void awaitEnd() throws InterruptedException {
            join(TimeUnit.SECONDS.toMillis(30));
            assertThat(isAlive()).as("the caller stopped waiting").isFalse();
        }
    }

    @Test
    void aCallerInterruptedWhileItsExchangeIsInFlightStopsAtOnceAndTheRotatedTokenIsKeptForTheNextCall()
            throws Exception {
        String first = seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold().times(1);
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            Caller caller = new Caller(c);
            caller.start();
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();

            caller.interrupt(); // the request reached STACK: the token it carries is spent once STACK answers
            caller.awaitEnd(); // while the fake still holds the answer
            assertThat(caller.thrown.get())
                    .isInstanceOf(StackInterruptedException.class)
                    .hasMessageNotContaining(first);
            assertThat(caller.interruptFlag)
                    .as("the interrupt flag is restored")
                    .isTrue();

            gate.release();
            call(c); // waits for the exchange the interrupted caller left running and uses its access token
            assertThat(refreshTokenInFile()).startsWith("srt_").isNotEqualTo(first);
        }
        assertThat(tokenRequests(200))
                .as("one exchange, finished for the next caller")
                .isEqualTo(1);
        assertThat(tokenRequests(400))
                .as("the spent token is never presented again")
                .isZero();
        assertOwnerOnly();
    }

    @Test
    void anUnclaimedExchangeWhoseAccessTokenWentStaleIsNotServedTheNextExchangeUsesTheRotatedToken() throws Exception {
        String first = seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold().times(1);
        TestClock own = TestClock.create();
        try (StackClient c = client(own, Map.of()).build()) {
            Caller caller = new Caller(c);
            caller.start();
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            caller.interrupt();
            caller.awaitEnd();
            gate.release();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (refreshTokenInFile().equals(first)) { // the exchange finishes with nobody waiting for it
                assertThat(System.nanoTime()).as("the rotated token is written").isLessThan(deadline);
                Thread.onSpinWait();
            }
            String rotated = refreshTokenInFile();

            own.advance(Duration.ofSeconds(301)); // its access token is stale before anyone claims it
            call(c);
            assertThat(refreshTokenInFile()).isNotEqualTo(rotated).isNotEqualTo(first);
        }
        assertThat(tokenRequests(200))
                .as("the stale one, then one with the rotated token")
                .isEqualTo(2);
        assertThat(tokenRequests(400)).isZero();
    }

    @Test
    void callersWaitingBehindAnInterruptedOneShareItsExchangeNoneIsInterruptedByIt() throws Exception {
        String first = seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold().times(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            Caller exchanging = new Caller(c);
            exchanging.start();
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
            List<Future<Long>> waiting = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                waiting.add(pool.submit(() -> call(c)));
            }
            exchanging.interrupt();
            exchanging.awaitEnd();
            assertThat(exchanging.thrown.get()).isInstanceOf(StackInterruptedException.class);

            gate.release();
            for (Future<Long> f : waiting) {
                f.get(30, TimeUnit.SECONDS); // none of them was interrupted: each gets the shared token
            }
            assertThat(refreshTokenInFile()).isNotEqualTo(first);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokenRequests(200)).isEqualTo(1);
        assertThat(tokenRequests(400)).isZero();
    }

    @Test
    void closingTheClientDuringAnExchangeReleasesItsCallerAndLeavesAWholeFile() throws Exception {
        String first = seedFile();
        FaultRule gate = fake.faults().on("POST", TOKEN).hold().times(1);
        Caller caller;
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            caller = new Caller(c);
            caller.start();
            assertThat(gate.awaitHeld(Duration.ofSeconds(30))).isTrue();
        } // close() while STACK holds the answer
        caller.awaitEnd();
        assertThat(caller.thrown.get())
                .isInstanceOf(StackException.class)
                .hasMessageContaining("closed")
                .hasMessageNotContaining(first);
        gate.release();
        JsonNode json = JSON.readTree(Files.readAllBytes(file));
        assertThat(json.get("refresh_token").asText()).startsWith("srt_");
        assertThat(json.get("operator_email").asText()).isEqualTo("ops@example.com");
        assertOwnerOnly();
        try (var entries = Files.list(file.getParent())) {
            assertThat(entries)
                    .as("no temporary file left behind")
                    .containsExactlyInAnyOrder(file, file.resolveSibling("credentials.json.lock"));
        }
    }

    // ---- the file is untrusted input ----

    @Test
    void aMalformedFileIsAConfigurationErrorNamingTheFileAndTheProblemNeverItsContent() throws IOException {
        String secretish = "srt_THIS_MUST_NOT_APPEAR_IN_ANY_MESSAGE_0123456789";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"refresh_token\":\"" + secretish, "is not valid JSON");
        cases.put("[\"" + secretish + "\"]", "is not a JSON object");
        cases.put("{\"token\":\"" + secretish + "\"}", "has no refresh_token");
        cases.put("{\"refresh_token\":[\"" + secretish + "\"]}", "has a refresh_token that is not a string");
        cases.put("{\"refresh_token\":\"" + secretish + " x\"}", "has a malformed refresh_token");
        cases.put("{\"refresh_token\":\"\"}", "has a malformed refresh_token");
        cases.put(
                "{\"refresh_token\":\"" + secretish + "\",\"pad\":\"" + "x".repeat(70_000) + "\"}",
                "is larger than 65536 bytes");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            writeFile(c.getKey());
            assertThatThrownBy(() -> client(CLOCK, Map.of()).build())
                    .as(c.getValue())
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageStartingWith("credentials file " + file + ": " + c.getValue())
                    .hasMessageNotContaining(secretish)
                    .hasNoCause();
        }
        assertThat(fake.journal().count("POST", TOKEN)).isZero();
    }

    @Test
    void theSdkAndTheFakeAgreeOnTheRefreshTokenBoundOf4096Characters() throws IOException {
        String longest = "srt_" + "a".repeat(4092); // well-formed on both sides, never issued by the fake
        writeFile("{\"refresh_token\":\"" + longest + "\"}");
        try (StackClient c = client(CLOCK, Map.of()).build()) {
            assertThatThrownBy(() -> call(c))
                    .as("the fake looks the token up (invalid_grant) instead of calling it malformed")
                    .isInstanceOf(StackAuthenticationException.class)
                    .hasMessageContaining("invalid_grant")
                    .hasMessageContaining("sign in again")
                    .hasMessageNotContaining(longest);
        }
        assertThat(tokenRequests(400)).isEqualTo(1);

        String tooLong = longest + "a";
        writeFile("{\"refresh_token\":\"" + tooLong + "\"}");
        assertThatThrownBy(() -> client(CLOCK, Map.of()).build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("1 to 4096 visible ASCII characters")
                .hasMessageNotContaining(tooLong);
        assertThat(tokenRequests(400)).as("never sent").isEqualTo(1);
    }

    @Test
    void aFileReadableByOthersALinkOrADirectoryIsRefused() throws IOException {
        String token = seedFile();
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            assertThatThrownBy(() -> client(CLOCK, Map.of()).build())
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("rw-r--r--")
                    .hasMessageNotContaining(token);
            Path real = home.resolve("real.json");
            Files.move(file, real);
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
            Files.createSymbolicLink(file, real);
            assertThatThrownBy(() -> client(CLOCK, Map.of()).build())
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageContaining("is not a regular file");
            Files.delete(file);
        } else {
            Files.delete(file);
        }
        Files.createDirectory(file);
        assertThatThrownBy(() -> client(CLOCK, Map.of()).build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("is not a regular file");
    }
}
