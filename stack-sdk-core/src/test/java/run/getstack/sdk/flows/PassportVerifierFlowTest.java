package run.getstack.sdk.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static run.getstack.sdk.flows.FlowSupport.JWKS;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.getstack.sdk.Secret;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.passport.Passport;
import run.getstack.sdk.passport.PassportRequest;
import run.getstack.sdk.passport.PassportVerificationException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.VerifiedPassport;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.assertj.StackAssertions;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/** The standalone PassportVerifier against the fake's JWKS endpoint and the passports it issues. */
class PassportVerifierFlowTest {
    static final TestClock CLOCK = TestClock.create();
    static final String ISSUER = "https://stack.flows.test";

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK).issuer(ISSUER));

    private FakeControlPlane fake;
    private String agent;
    private String openai;
    private StackClient client;
    private PassportVerifier verifier;

    @BeforeEach
    void seed(FakeControlPlane fake) {
        this.fake = fake;
        agent = fake.seed().agent("verified-bot", "standard");
        openai = fake.seed().connection("openai", "sk-test-verifier", "chat", "embeddings");
        String stripe = fake.seed().connection("stripe", "sk_test_verifier", "charges:read", "charges:write");
        fake.seed().grant(agent, openai, "chat");
        fake.seed().grant(agent, stripe, "charges:read");
        client = FlowSupport.client(fake, CLOCK, agent).build();
        verifier = verifier(Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        verifier.close();
        client.close();
    }

    private PassportVerifier verifier(Duration maxStaleness) {
        return PassportVerifier.builder()
                .jwksUrl(fake.baseUrl() + JWKS)
                .expectedIssuer(ISSUER)
                .expectedAudience("stack:passport")
                .jwksMaxStaleness(maxStaleness)
                .clock(CLOCK)
                .build();
    }

    /** An hour-long passport (standard mode is not capped by a checkpoint interval). */
    private Passport issue() {
        return client.passports()
                .issue(
                        agent,
                        PassportRequest.builder()
                                .ttl(Duration.ofHours(1))
                                .missionId(fake.seed().mission(agent, "verifier flows"))
                                .build());
    }

    private int jwksFetches() {
        return fake.journal().count("GET", JWKS);
    }

    @Test
    void aPassportTheFakeIssuedVerifiesWithTheSeededGrants() {
        Passport passport = issue();

        VerifiedPassport v = verifier.verify(passport.token().revealPlaintext());

        assertThat(v.jti()).isEqualTo(passport.jti());
        assertThat(v.agentId()).isEqualTo(agent);
        assertThat(v.operatorId()).isEqualTo(fake.operatorId());
        assertThat(v.issuer()).isEqualTo(ISSUER);
        assertThat(v.audience()).isEqualTo("stack:passport");
        assertThat(v.keyId()).isEqualTo(fake.currentKid());
        assertThat(v.expiresAt()).isEqualTo(passport.expiresAt());
        assertThat(v.services()).hasSize(2);
        assertThat(v.allows("openai", "chat")).isTrue();
        assertThat(v.allows(openai, "chat")).isTrue();
        assertThat(v.allows("openai", "embeddings"))
                .as("connected but not granted")
                .isFalse();
        assertThat(v.allows("stripe", "charges:read")).isTrue();
        assertThat(v.allows("stripe", "charges:write")).isFalse();
        assertThat(v.scopesFor("stripe")).containsExactly("charges:read");
        assertThat(v.hasService("slack")).isFalse();

        verifier.verify(passport.token().revealPlaintext());
        verifier.verify(issue().token().revealPlaintext());
        assertThat(jwksFetches()).as("one JWKS fetch serves every verification").isEqualTo(1);
    }

    @Test
    void afterARotationANewPassportVerifiesByRefetchingAndTheOldOneUntilTheGraceEnds() {
        fake.signingKeyGrace(Duration.ofMinutes(10));
        Passport before = issue();
        assertThat(verifier.verify(before.token().revealPlaintext()).keyId()).isEqualTo(fake.currentKid());
        assertThat(jwksFetches()).isEqualTo(1);

        CLOCK.advance(PassportVerifier.DEFAULT_JWKS_MIN_REFETCH_INTERVAL); // see the next test for a sooner rotation
        String newKid = fake.rotateSigningKey();
        Passport after = issue();
        assertThat(verifier.verify(after.token().revealPlaintext()).keyId()).isEqualTo(newKid);
        assertThat(jwksFetches()).as("the unknown kid caused one refetch").isEqualTo(2);
        assertThat(verifier.verify(before.token().revealPlaintext()).jti()).isEqualTo(before.jti());
        verifier.verify(issue().token().revealPlaintext());
        assertThat(jwksFetches()).isEqualTo(2);

        CLOCK.advance(Duration.ofMinutes(11)); // grace over; both passports are still unexpired
        assertThat(verifier.verify(after.token().revealPlaintext()).jti()).isEqualTo(after.jti());
        assertRejected(before.token().revealPlaintext(), Reason.UNKNOWN_KEY);
        assertThat(client.passports()
                        .verify(Secret.of(before.token().revealPlaintext()), null)
                        .reason())
                .as("the control plane agrees")
                .isEqualTo("unknown_key");
    }

    @Test
    void anUnknownKidRefetchesTheJwksAtMostOncePerMinRefetchInterval() {
        // wire protocol §3.3: verifiers meeting an unknown kid refetch at most once per 30 s, counting every fetch
        verifier.verify(issue().token().revealPlaintext());
        String newKid = fake.rotateSigningKey();
        String after = issue().token().revealPlaintext();

        CLOCK.advance(Duration.ofSeconds(29));
        assertRejected(after, Reason.UNKNOWN_KEY);
        assertRejected(after, Reason.UNKNOWN_KEY);
        assertThat(jwksFetches())
                .as("within 30 s of the last fetch: no refetch")
                .isEqualTo(1);

        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(verifier.verify(after).keyId()).isEqualTo(newKid);
        assertThat(jwksFetches()).isEqualTo(2);
    }

    @Test
    void duringAJwksOutageTheLastGoodKeysServeUpToTheStalenessBoundThenKeysUnavailable() {
        assertThat(verifier.verify(issue().token().revealPlaintext())).isNotNull();
        assertThat(jwksFetches()).isEqualTo(1);
        fake.faults().on("GET", JWKS).respondWith(503);

        CLOCK.advance(Duration.ofMinutes(10)); // past max-age (300 s): a refresh is due and fails
        assertThat(verifier.verify(issue().token().revealPlaintext())).isNotNull();
        assertThat(jwksFetches()).isEqualTo(2);
        CLOCK.advance(Duration.ofMinutes(40));
        assertThat(verifier.verify(issue().token().revealPlaintext())).isNotNull();
        assertThat(jwksFetches()).isEqualTo(3);
        assertThat(fake.journal().entries("GET", JWKS).subList(1, 3))
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(503));

        CLOCK.advance(Duration.ofMinutes(11)); // 61 min after the last good fetch: beyond the 1 h bound
        String fresh = issue().token().revealPlaintext();
        assertRejected(fresh, Reason.KEYS_UNAVAILABLE);
        assertThat(jwksFetches()).isEqualTo(4);
        assertRejected(fresh, Reason.KEYS_UNAVAILABLE);
        assertThat(jwksFetches()).as("a failed fetch is not repeated at once").isEqualTo(4);

        fake.faults().clear();
        CLOCK.advance(Duration.ofSeconds(31));
        assertThat(verifier.verify(fresh).jti()).isNotBlank();
        assertThat(jwksFetches()).isEqualTo(5);
    }

    @Test
    void forgedAndTamperedTokensAreRejectedWithTheRightReason() throws Exception {
        Passport real = issue();
        Map<String, Object> claims = fake.passportClaims(real.jti());
        String kid = fake.currentKid();

        assertRejected(fake.mintToken(header("none", kid), claims), Reason.UNSUPPORTED_ALGORITHM);
        String unsigned = b64(json(header("none", kid))) + "." + b64(json(claims)) + ".";
        assertRejected(unsigned, Reason.UNSUPPORTED_ALGORITHM);

        PrivateKey foreign =
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        assertRejected(fake.mintToken(header("EdDSA", kid), claims, foreign), Reason.BAD_SIGNATURE);
        assertRejected(fake.mintToken(header("EdDSA", "not-a-published-kid"), claims, foreign), Reason.UNKNOWN_KEY);

        String[] parts = real.token().revealPlaintext().split("\\.");
        @SuppressWarnings("unchecked")
        Map<String, Object> stk = (Map<String, Object>) claims.get("stk");
        stk.put("delegation_depth", 0);
        stk.put("agent_name", "someone-else");
        String tampered = parts[0] + "." + b64(json(claims)) + "." + parts[2];
        assertRejected(tampered, Reason.BAD_SIGNATURE);
        assertThat(client.passports().verify(Secret.of(tampered), null).reason())
                .as("the control plane agrees")
                .isEqualTo("bad_signature");

        Map<String, Object> otherIssuer = fake.passportClaims(real.jti());
        otherIssuer.put("iss", "https://evil.example");
        assertRejected(fake.mintToken(header("EdDSA", kid), otherIssuer), Reason.WRONG_ISSUER);
        Map<String, Object> otherAudience = fake.passportClaims(real.jti());
        otherAudience.put("aud", "stack:agent");
        assertRejected(fake.mintToken(header("EdDSA", kid), otherAudience), Reason.WRONG_AUDIENCE);

        assertThat(verifier.verify(real.token().revealPlaintext()).jti()).isEqualTo(real.jti());
        StackAssertions.assertThat(fake.journal()).hasRequest("GET", JWKS);
        assertThat(jwksFetches())
                .as("unknown kids refetch at most once per interval")
                .isLessThanOrEqualTo(2);
    }

    private void assertRejected(String token, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(PassportVerificationException.class)
                .extracting(e -> ((PassportVerificationException) e).reason())
                .isEqualTo(reason);
    }

    private static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", alg);
        h.put("typ", "JWT");
        h.put("kid", kid);
        return h;
    }

    private static String json(Map<String, Object> map) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(map);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
