package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.CircuitBreakerPolicy;
import run.getstack.sdk.RetryPolicy;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackConfigurationException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * Issue 16 item 1: two copies of one agent with different key files (two containers, two home directories). The
 * second must not silently replace the first one's key; when a key was replaced, the first one is told why it is
 * refused.
 */
class AgentKeyReEnrollmentFlowTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private static final String ENROLL = "/v1/agents/*/enroll";

    @TempDir
    Path homeA;

    @TempDir
    Path homeB;

    private FakeControlPlane fake;
    private String agent;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("twin-bot", "standard");
    }

    private StackClient.Builder keyed(Path home) {
        return StackClient.builder()
                .baseUrl(fake.baseUrl())
                .apiKey(fake.operatorApiKey())
                .agentId(agent)
                .agentKeyFile(home.resolve(agent + ".json"))
                .clock(CLOCK)
                .retryPolicy(RetryPolicy.none())
                .circuitBreakerPolicy(CircuitBreakerPolicy.disabled())
                .passportRefreshPolicy(FlowSupport.NO_JITTER);
    }

    @Test
    void aSecondCopyWithAnotherKeyFileRefusesToEnrollAndTheFirstKeepsWorking() {
        try (StackClient first = keyed(homeA).build();
                StackClient second = keyed(homeB).build()) {
            first.passports().listActive(agent, null); // enrolls the first key

            assertThatThrownBy(() -> second.passports().listActive(agent, null))
                    .isInstanceOf(StackConfigurationException.class)
                    .hasMessageContaining("agent " + agent + " is already enrolled with another key")
                    .hasMessageContaining("give this process that key file, or allow re-enrollment explicitly")
                    .hasMessageNotContaining(fake.operatorApiKey());

            assertThat(homeB.resolve(agent + ".json")).doesNotExist();
            first.passports().listActive(agent, null); // still accepted: its key was not replaced
        }
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", ENROLL, 1);
    }

    @Test
    void aCallRefusedBecauseTheKeyWasReplacedSaysSo() throws Exception {
        try (StackClient first = keyed(homeA).build()) {
            first.passports().listActive(agent, null);
            reEnrollOutsideTheSdk(); // another process replaces the agent's key

            assertThatThrownBy(() -> first.passports().listActive(agent, null))
                    .isInstanceOfSatisfying(StackAuthenticationException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(401);
                        assertThat(e.reason()).isEqualTo("bad_signature");
                        assertThat(e.getMessage())
                                .contains("key may have been replaced")
                                .contains(homeA.resolve(agent + ".json").toString());
                    });
        }
    }

    @Test
    void reEnrollmentExplicitlyAllowedReplacesTheKeyAndTheOldCopyIsToldWhy() {
        try (StackClient first = keyed(homeA).build();
                StackClient second =
                        keyed(homeB).allowAgentKeyReEnrollment(true).build()) {
            first.passports().listActive(agent, null);

            second.passports().listActive(agent, null); // enrolls a new key, replacing the first one's

            assertThat(homeB.resolve(agent + ".json")).isRegularFile();
            assertThatThrownBy(() -> first.passports().listActive(agent, null))
                    .isInstanceOf(StackAuthenticationException.class)
                    .hasMessageContaining("key may have been replaced");
        }
        StackAssertions.assertThat(fake.journal()).hasRequestCount("POST", ENROLL, 2);
    }

    /** What a second, differently configured SDK does: a new challenge and a new key, with the operator key. */
    private void reEnrollOutsideTheSdk() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> ch = FlowSupport.rawPost(fake, "/v1/agents/" + agent + "/enrollment-challenge", "{}");
        assertThat(ch.statusCode()).isEqualTo(201);
        JsonNode challenge = json.readTree(ch.body());
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] text = challenge.get("challenge").asText().getBytes(StandardCharsets.US_ASCII);
        signer.update(text, 0, text.length);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String body = "{\"public_key\":{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\""
                + b64.encodeToString(key.generatePublicKey().getEncoded()) + "\"},\"challenge_id\":\""
                + challenge.get("challenge_id").asText() + "\",\"signed_challenge\":\""
                + b64.encodeToString(signer.generateSignature()) + "\"}";
        HttpResponse<String> enrolled = FlowSupport.rawPost(fake, "/v1/agents/" + agent + "/enroll", body);
        assertThat(enrolled.statusCode()).isEqualTo(200);
    }
}
