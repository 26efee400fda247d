package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

/** {@code stk.identity_claims} and {@code stk.services[].constraints} as a {@link VerifiedPassport} exposes them. */
class PassportVerifierIdentityClaimsTest {
    private final TestClock clock = TestClock.at(Instant.ofEpochSecond(1_800_000_000L));
    private final Instant now = clock.instant();
    private final TestKey stack = TestKey.seeded(1);
    private final PassportVerifier verifier = PassportVerifier.builder()
            .staticJwks(TestKey.jwks(stack))
            .clock(clock)
            .verifiedTokenCacheSize(0)
            .build();
    /** For the count bounds: tokens with 64 entries are larger than the default size limit. */
    private final PassportVerifier big = PassportVerifier.builder()
            .staticJwks(TestKey.jwks(stack))
            .clock(clock)
            .maxTokenSize(PassportVerifier.MAX_MAX_TOKEN_SIZE)
            .build();

    @AfterEach
    void close() {
        verifier.close();
        big.close();
    }

    private ObjectNode claim(String id, String type, long verifiedAt, long expiresAt) {
        ObjectNode c = TestKey.JSON.createObjectNode();
        c.put("claim_id", id)
                .put("provider", "bankid_se")
                .put("layer", "humanity")
                .put("claim_type", type)
                .put("assurance_level", "high")
                .put("verified_at", verifiedAt)
                .put("expires_at", expiresAt);
        return c;
    }

    private String token(Consumer<ObjectNode> stk) {
        ObjectNode c = TestKey.claims(now);
        stk.accept((ObjectNode) c.get("stk"));
        return stack.sign(c);
    }

    private Reason reasonOf(String token) {
        PassportVerificationException e =
                catchThrowableOfType(PassportVerificationException.class, () -> big.verify(token));
        assertThat(e).as("verification must fail").isNotNull();
        return e.reason();
    }

    @Test
    void aPassportWithoutClaimsOrConstraintsHasEmptyLists() {
        VerifiedPassport p = verifier.verify(token(stk -> {}));
        assertThat(p.identityClaims()).isEmpty();
        assertThat(p.services()).allSatisfy(s -> assertThat(s.constraints()).isEmpty());
        assertThat(p.hasIdentityClaim("verified_human", now)).isFalse();
        VerifiedPassport absent = verifier.verify(token(stk -> stk.remove("identity_claims")));
        assertThat(absent.identityClaims()).isEmpty();
        VerifiedPassport nulls = verifier.verify(token(stk -> {
            stk.putNull("identity_claims");
            ((ObjectNode) stk.get("services").get(0)).putNull("constraints");
        }));
        assertThat(nulls.identityClaims()).isEmpty();
        assertThat(nulls.services().get(0).constraints()).isEmpty();
    }

    @Test
    void claimsAreReadTypedInTokenOrderAndOnlyTheirDocumentedMembers() {
        long t = now.getEpochSecond();
        VerifiedPassport p = verifier.verify(token(stk -> {
            ArrayNode claims = stk.putArray("identity_claims");
            claims.add(claim("clm_1", "verified_human", t - 60, t + 3600).put("national_id", "19800101-1234"));
            claims.add(claim("clm_2", "verified_identity", t - 60, t - 1).put("layer", "identity"));
        }));
        assertThat(p.identityClaims())
                .containsExactly(
                        new IdentityClaim(
                                "clm_1",
                                "bankid_se",
                                "humanity",
                                "verified_human",
                                "high",
                                Instant.ofEpochSecond(t - 60),
                                Instant.ofEpochSecond(t + 3600)),
                        new IdentityClaim(
                                "clm_2",
                                "bankid_se",
                                "identity",
                                "verified_identity",
                                "high",
                                Instant.ofEpochSecond(t - 60),
                                Instant.ofEpochSecond(t - 1)));
        assertThat(p.identityClaims().toString()).doesNotContain("19800101");
        assertThat(p.hasIdentityClaim("verified_human", now)).isTrue();
        assertThat(p.hasIdentityClaim("verified_identity", now)).as("lapsed").isFalse();
        assertThat(p.hasIdentityClaim("verified_human", Instant.ofEpochSecond(t + 3600)))
                .isFalse();
        assertThat(p.hasIdentityClaim("verified_human", Instant.ofEpochSecond(t + 3599)))
                .isTrue();
        assertThat(p.hasIdentityClaim("delegated_authority", now)).isFalse();
        assertThat(p.identityClaims()).isUnmodifiable();
    }

    @Test
    void constraintsOfEachServiceAreReadAsSigned() {
        VerifiedPassport p = verifier.verify(token(stk -> {
            ArrayNode cs = ((ObjectNode) stk.get("services").get(0)).putArray("constraints");
            cs.addObject().put("path", "method").put("op", "eq").put("value", "GET");
            ObjectNode in = cs.addObject().put("path", "url.host").put("op", "in");
            in.putArray("value").add("api.stripe.com").add("files.stripe.com");
            cs.addObject().put("path", "body.amount").put("op", "lt_future").put("value", 500);
            cs.addObject().put("path", "query.x").put("op", "eq").putNull("value");
        }));
        List<PassportConstraint> cs = p.services().get(0).constraints();
        assertThat(cs)
                .containsExactly(
                        new PassportConstraint("method", "eq", List.of("GET")),
                        new PassportConstraint("url.host", "in", List.of("api.stripe.com", "files.stripe.com")),
                        new PassportConstraint("body.amount", "lt_future", List.of("500")),
                        new PassportConstraint("query.x", "eq", List.of()));
        assertThat(p.services().get(1).constraints()).isEmpty();
        assertThat(p.services().get(0).toString()).contains("constraints=");
        assertThat(p.services().get(1).toString()).doesNotContain("constraints=");
    }

    @Test
    void aMalformedClaimOrConstraintFailsVerification() {
        long t = now.getEpochSecond();
        assertThat(reasonOf(token(stk -> stk.put("identity_claims", "clm_1")))).isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> stk.putArray("identity_claims").add("clm_1"))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> stk.putArray("identity_claims")
                        .add(claim("clm_1", "verified_human", t, t + 1).put("verified_at", "yesterday")))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> stk.putArray("identity_claims")
                        .add(claim("clm_1", "verified_human", t, t + 1).put("expires_at", -1)))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk ->
                        stk.putArray("identity_claims").add(claim("clm_1", "verified_human", t, 10_000_000_000L)))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> stk.putArray("identity_claims")
                        .add(claim("clm_1", "verified_human", t, t + 1).put("verified_at", 1.5)))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ObjectNode c = claim("clm_1", "verified_human", t, t + 1);
                    c.remove("verified_at");
                    stk.putArray("identity_claims").add(c);
                })))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ObjectNode c = claim("clm_1", "verified_human", t, t + 1);
                    c.remove("claim_id");
                    stk.putArray("identity_claims").add(c);
                })))
                .isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ArrayNode many = stk.putArray("identity_claims");
                    for (int i = 0; i <= 64; i++) {
                        many.add(claim("clm_" + i, "verified_human", t, t + 1));
                    }
                })))
                .isEqualTo(Reason.INVALID_CLAIM);
        ObjectNode sixtyFour = TestKey.claims(now);
        ArrayNode max = ((ObjectNode) sixtyFour.get("stk")).putArray("identity_claims");
        for (int i = 0; i < 64; i++) {
            max.add(claim("clm_" + i, "verified_human", t, t + 1));
        }
        assertThat(big.verify(stack.sign(sixtyFour)).identityClaims()).hasSize(64);

        assertThat(reasonOf(token(stk -> ((ObjectNode) stk.get("services").get(0)).put("constraints", "x"))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> ((ObjectNode) stk.get("services").get(0))
                        .putArray("constraints")
                        .add("method"))))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ObjectNode c = ((ObjectNode) stk.get("services").get(0))
                            .putArray("constraints")
                            .addObject()
                            .put("path", "method")
                            .put("op", "eq");
                    c.putObject("value").put("nested", true);
                })))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ObjectNode c = ((ObjectNode) stk.get("services").get(0))
                            .putArray("constraints")
                            .addObject()
                            .put("path", "method")
                            .put("op", "in");
                    c.putArray("value").add("GET").addNull();
                })))
                .isEqualTo(Reason.INVALID_CLAIM);
        assertThat(reasonOf(token(stk -> ((ObjectNode) stk.get("services").get(0))
                        .putArray("constraints")
                        .addObject()
                        .put("op", "eq")
                        .put("value", "GET"))))
                .isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reasonOf(token(stk -> {
                    ArrayNode many = ((ObjectNode) stk.get("services").get(0)).putArray("constraints");
                    for (int i = 0; i <= 64; i++) {
                        many.addObject().put("path", "method").put("op", "eq").put("value", "GET");
                    }
                })))
                .isEqualTo(Reason.INVALID_CLAIM);
        ObjectNode sixtyFourConstraints = TestKey.claims(now);
        ArrayNode cmax =
                ((ObjectNode) sixtyFourConstraints.path("stk").path("services").get(0)).putArray("constraints");
        for (int i = 0; i < 64; i++) {
            cmax.addObject().put("path", "method").put("op", "eq").put("value", "GET");
        }
        assertThat(big.verify(stack.sign(sixtyFourConstraints))
                        .services()
                        .get(0)
                        .constraints())
                .hasSize(64);
    }

    @Test
    void claimsOfACachedPassportAreTheSameObject() {
        try (PassportVerifier cached = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack))
                .clock(clock)
                .build()) {
            long t = now.getEpochSecond();
            String token =
                    token(stk -> stk.putArray("identity_claims").add(claim("clm_1", "verified_human", t, t + 60)));
            VerifiedPassport first = cached.verify(token);
            clock.advance(Duration.ofSeconds(1));
            assertThat(cached.verify(token).identityClaims()).isSameAs(first.identityClaims());
        }
    }
}
