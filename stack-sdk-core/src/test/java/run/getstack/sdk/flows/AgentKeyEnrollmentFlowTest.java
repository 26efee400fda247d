package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.ClientTestHooks;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.JournalEntry;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** Agent key-pair mode (wire protocol §2.3, §2.4): enrollment against the fake, then agent-signed JWTs only. */
class AgentKeyEnrollmentFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private static final String CHALLENGE = "/v1/agents/*/enrollment-challenge";
    private static final String ENROLL = "/v1/agents/*/enroll";

    @TempDir
    Path home;

    private FakeControlPlane fake;
    private String agent;
    private Path keyFile;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("keyed-bot", "standard");
        String openai = fake.seed().connection("openai", "sk-test-keyed", "chat");
        fake.seed().grant(agent, openai, "chat");
        keyFile = home.resolve(".stack").resolve("agents").resolve(agent + ".json");
    }

    private StackClient.Builder keyed() {
        // the journal is asserted request by request: no revocation follower beside the calls under test
        return ClientTestHooks.withoutRevocationFollower(StackClient.builder())
                .baseUrl(fake.baseUrl())
                .agentId(agent)
                .agentKeyFile(keyFile)
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(FlowSupport.NO_JITTER);
    }

    @Test
    void theFirstRunEnrollsWritesAnOwnerOnlyKeyFileAndThenSignsEveryRequestAsTheAgent() throws Exception {
        try (StackClient client = keyed().apiKey(fake.operatorApiKey()).build()) {
            assertThat(keyFile).doesNotExist(); // nothing happens before the first call

            Passport first = client.passport().current();
            CLOCK.advance(Duration.ofSeconds(700));
            Passport second = client.passport().current();
            client.passports().listActive(agent, null);

            assertThat(second.jti()).isNotEqualTo(first.jti());
            assertThat(keyFile).isRegularFile();
            if (keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                        .isEqualTo("rw-------");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
                        .isEqualTo("rwx------");
            }
            try (var tmp = Files.list(keyFile.getParent())) {
                // no temporary file left behind: the key and the (empty, owner-only) enrollment lock
                assertThat(tmp)
                        .containsExactlyInAnyOrder(keyFile, keyFile.resolveSibling(keyFile.getFileName() + ".lock"));
            }
            String json = Files.readString(keyFile);
            assertThat(json).contains("\"agent_id\":\"" + agent + "\"").contains("\"d\":");
        }

        StackAssertions.assertThat(fake.journal())
                .hasRequestCount("POST", CHALLENGE, 1)
                .hasRequestCount("POST", ENROLL, 1);
        StackAssertions.assertThat(fake.auditLog()).hasEntryCount("agent.enroll", 1);
        String operator = operatorFingerprint();
        List<JournalEntry> all = fake.journal().entries();
        assertThat(all.subList(0, 3))
                .extracting(JournalEntry::method, JournalEntry::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("GET", "/v1/agents/" + agent), // not enrolled yet?
                        org.assertj.core.groups.Tuple.tuple("POST", "/v1/agents/" + agent + "/enrollment-challenge"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/v1/agents/" + agent + "/enroll"));
        assertThat(all.subList(0, 3))
                .extracting(e -> e.headers().get("authorization"))
                .containsOnly(operator);
        List<JournalEntry> asAgent = all.subList(3, all.size() - 1); // the last one is our raw probe
        assertThat(asAgent)
                .extracting(JournalEntry::path)
                .containsExactly(FlowSupport.START, FlowSupport.REFRESH, "/v1/passports/active");
        assertThat(asAgent).allSatisfy(e -> {
            assertThat(e.status()).isBetween(200, 201);
            assertThat(e.headers().get("authorization")).startsWith("Bearer ").isNotEqualTo(operator);
        });
        Set<String> tokens = new HashSet<>();
        asAgent.forEach(e -> tokens.add(e.headers().get("authorization")));
        assertThat(tokens).as("a fresh agent JWT per request").hasSize(asAgent.size());
    }

    @Test
    void aSecondClientWithTheSameKeyFileReusesItWithoutEnrollingAgain() throws Exception {
        try (StackClient enrolling = keyed().apiKey(fake.operatorApiKey()).build()) {
            enrolling.passport().current();
        }
        byte[] enrolled = Files.readAllBytes(keyFile);
        int before = fake.journal().entries().size();

        try (StackClient reusing = keyed().build()) { // no API key at all
            Passport p = reusing.passports()
                    .issue(
                            agent,
                            PassportRequest.builder()
                                    .ttl(Duration.ofMinutes(5))
                                    .missionId(fake.seed().mission(agent, "second client"))
                                    .build());
            assertThat(p.agentId()).isEqualTo(agent);
            assertThat(reusing.passport().current().agentId()).isEqualTo(agent);
        }

        assertThat(Files.readAllBytes(keyFile)).isEqualTo(enrolled);
        StackAssertions.assertThat(fake.journal())
                .hasRequestCount("POST", CHALLENGE, 1)
                .hasRequestCount("POST", ENROLL, 1);
        String operator = operatorFingerprint();
        List<JournalEntry> later = fake.journal()
                .entries()
                .subList(before, fake.journal().entries().size() - 1);
        assertThat(later).hasSize(2).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(201);
            assertThat(e.headers().get("authorization")).isNotEqualTo(operator);
        });
    }

    /** How the journal shows the operator key: sent once, raw, outside the SDK. */
    private String operatorFingerprint() throws Exception {
        FlowSupport.rawPost(fake, "/v1/agents/" + agent + "/unblock", "{}");
        JournalEntry probe = fake.journal().last();
        assertThat(probe).isNotNull();
        assertThat(probe.status()).isEqualTo(200);
        return probe.headers().get("authorization");
    }
}
