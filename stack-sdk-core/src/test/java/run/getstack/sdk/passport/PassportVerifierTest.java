package run.getstack.sdk.passport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import run.getstack.sdk.StackException;
import run.getstack.sdk.passport.PassportVerificationException.Reason;
import run.getstack.sdk.testkit.time.TestClock;

class PassportVerifierTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final TestClock clock = TestClock.at(Instant.ofEpochSecond(1_800_000_000L));
    private final Instant now = clock.instant();
    private final TestKey stack = TestKey.seeded(1);
    private final TestKey attacker = TestKey.seeded(2);
    private final AtomicReference<RevocationCheck> revocation = new AtomicReference<>(p -> false);
    private final PassportVerifier verifier = PassportVerifier.builder()
            .staticJwks(TestKey.jwks(stack))
            .clock(clock)
            .revocationCheck(p -> revocation.get().isRevoked(p))
            .build();

    @AfterEach
    void close() {
        verifier.close();
    }

    private String validToken() {
        return stack.sign(TestKey.claims(now));
    }

    private Reason reasonOf(String token) {
        PassportVerificationException e =
                catchThrowableOfType(PassportVerificationException.class, () -> verifier.verify(token));
        assertThat(e).as("verification must fail").isNotNull();
        if (token.length() > 16) {
            assertThat(e.getMessage()).doesNotContain(token);
        }
        String[] parts = token.split("\\.", -1);
        for (String part : parts) {
            if (part.length() > 16) {
                assertThat(e.getMessage()).doesNotContain(part);
            }
        }
        return e.reason();
    }

    // ---- the happy path ----

    @Test
    void aValidPassportVerifiesAndExposesItsClaims() {
        VerifiedPassport p = verifier.verify(validToken());
        assertThat(p.jti()).isEqualTo("pp_8f3a");
        assertThat(p.agentId()).isEqualTo("agt_research");
        assertThat(p.operatorId()).isEqualTo("op_acme");
        assertThat(p.agentName()).isEqualTo("research-agent");
        assertThat(p.issuer()).isEqualTo(PassportVerifier.DEFAULT_ISSUER);
        assertThat(p.audience()).isEqualTo(PassportVerifier.DEFAULT_AUDIENCE);
        assertThat(p.issuedAt()).isEqualTo(now);
        assertThat(p.notBefore()).isEqualTo(now);
        assertThat(p.expiresAt()).isEqualTo(now.plusSeconds(900));
        assertThat(p.services()).extracting(PassportService::serviceName).containsExactly("stripe", "slack");
        assertThat(p.services().get(0).credentialRef()).isEqualTo("cred_ref_1");
        assertThat(p.intentSummary()).isEqualTo("Reconcile yesterday's charges");
        assertThat(p.intentServices()).containsExactly("stripe", "slack");
        assertThat(p.delegationDepth()).isEqualTo(1);
        assertThat(p.sessionId()).isEqualTo("ses_1");
        assertThat(p.parentJti()).isEqualTo("pp_root");
        assertThat(p.delegationChain()).containsExactly("pp_root");
        assertThat(p.accountability()).isEqualTo("enforced");
        assertThat(p.checkpointInterval()).isEqualTo(Duration.ofSeconds(300));
        assertThat(p.keyId()).isEqualTo(stack.kid);
    }

    @Test
    void allowsConnectionChecksOneConnectionWhileAllowsMergesConnectionsThatShareAProvider() {
        com.fasterxml.jackson.databind.node.ObjectNode claims = TestKey.claims(now);
        com.fasterxml.jackson.databind.node.ObjectNode second = ((com.fasterxml.jackson.databind.node.ArrayNode)
                        claims.with("stk").get("services"))
                .addObject();
        second.put("service_id", "svc_conn_stripe2")
                .put("service_name", "stripe")
                .put("credential_ref", "cred_ref_3");
        second.putArray("scopes").add("charges:write");
        second.putArray("constraints");
        VerifiedPassport p = verifier.verify(stack.sign(claims));

        assertThat(p.allows("stripe", "charges:write")).isTrue();
        assertThat(p.allowsConnection("svc_conn_stripe2", "charges:write")).isTrue();
        assertThat(p.allowsConnection("svc_conn_stripe1", "charges:write")).isFalse();
        assertThat(p.allowsConnection("stripe", "charges:read")).isFalse(); // a provider name is not a connection
        assertThat(p.scopesFor("stripe")).containsExactlyInAnyOrder("charges:read", "customers:read", "charges:write");
        assertThat(p.scopesFor("svc_conn_stripe1")).containsExactlyInAnyOrder("charges:read", "customers:read");
    }

    @Test
    void scopeChecksMatchByServiceNameOrServiceIdAndExactScope() {
        VerifiedPassport p = verifier.verify(validToken());
        assertThat(p.allows("stripe", "charges:read")).isTrue();
        assertThat(p.allows("svc_conn_stripe1", "customers:read")).isTrue();
        assertThat(p.allows("stripe", "charges:write")).isFalse();
        assertThat(p.allows("stripe", "chat:write")).isFalse();
        assertThat(p.allows("github", "repo")).isFalse();
        assertThat(p.allows("stripe", "charges")).isFalse();
        assertThat(p.hasService("slack")).isTrue();
        assertThat(p.scopesFor("slack")).containsExactly("chat:write");
        assertThat(p.scopesFor("github")).isEmpty();
        assertThat(p.services().get(1).allows("chat:write")).isTrue();
    }

    @Test
    void theVerifiedPassportIsImmutable() {
        VerifiedPassport p = verifier.verify(validToken());
        assertThatThrownBy(() -> p.services().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.scopesFor("stripe").add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.services().get(0).scopes().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.delegationChain().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anAudienceArrayContainingTheExpectedAudienceIsAccepted() {
        ObjectNode c = TestKey.claims(now);
        c.putArray("aud").add("other").add("stack:passport");
        assertThat(verifier.verify(stack.sign(c)).audience()).isEqualTo("stack:passport");
    }

    @Test
    void aHeaderWithoutTypIsAccepted() {
        ObjectNode h = stack.header();
        h.remove("typ");
        assertThat(verifier.verify(stack.sign(h, TestKey.claims(now))).jti()).isEqualTo("pp_8f3a");
    }

    @Test
    void aRootPassportWithoutOptionalMembersVerifies() {
        ObjectNode c = TestKey.claims(now);
        c.remove("nbf");
        ObjectNode stk = (ObjectNode) c.get("stk");
        stk.remove(java.util.List.of("agent_name", "intent_summary", "parent_jti", "checkpoint_interval"));
        stk.put("delegation_depth", 0);
        stk.putArray("delegation_chain");
        VerifiedPassport p = verifier.verify(stack.sign(c));
        assertThat(p.notBefore()).isNull();
        assertThat(p.agentName()).isNull();
        assertThat(p.parentJti()).isNull();
        assertThat(p.checkpointInterval()).isNull();
        assertThat(p.delegationDepth()).isZero();
    }

    @Test
    void theExceptionIsAStackException() {
        assertThatThrownBy(() -> verifier.verify("x")).isInstanceOf(StackException.class);
    }

    @Test
    void rfc8037KeysWorkEndToEndAndTheKidlessRfcJwsPassesItsSignatureButIsNoPassport() throws Exception {
        com.fasterxml.jackson.databind.JsonNode rfc;
        try (java.io.InputStream in = getClass().getResourceAsStream("/rfc8037/ed25519-examples.json")) {
            rfc = TestKey.JSON.readTree(in);
        }
        TestKey rfcKey = new TestKey(
                Base64.getUrlDecoder().decode(rfc.get("private_jwk").get("d").asText()));
        assertThat(rfcKey.x).isEqualTo(rfc.get("public_jwk").get("x").asText());
        assertThat(rfcKey.kid).isEqualTo(rfc.get("thumbprint_sha256").asText());
        try (PassportVerifier rfcVerifier = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(rfcKey))
                .clock(clock)
                .build()) {
            assertThat(rfcVerifier.verify(rfcKey.sign(TestKey.claims(now))).keyId())
                    .isEqualTo(rfcKey.kid);
            // RFC 8037's example JWS has no kid: the JWKS's only key is used, its signature verifies, and its
            // payload ("Example of Ed25519 signing") is not a claim set
            String rfcJws = rfc.get("jws_compact").asText();
            assertThatThrownBy(() -> rfcVerifier.verify(rfcJws))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        }
    }

    // ---- algorithm confusion ----

    @Test
    void algNoneIsRejected() {
        String token = TestKey.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + TestKey.b64(TestKey.claims(now).toString()) + ".";
        assertThat(reasonOf(token)).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void aMissingAlgIsRejected() {
        ObjectNode h = stack.header();
        h.remove("alg");
        assertThat(reasonOf(stack.sign(h, TestKey.claims(now)))).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void hs256SignedWithThePublicKeyBytesAsHmacSecretIsRejected() throws Exception {
        String input = TestKey.b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + stack.kid + "\"}") + "."
                + TestKey.b64(TestKey.claims(now).toString());
        for (byte[] secret : new byte[][] {stack.publicKey, stack.x.getBytes(StandardCharsets.US_ASCII)}) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String token = input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
            assertThat(reasonOf(token)).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256", "PS256", "EdDSA ", "eddsa", "Ed25519", "ES256K"})
    void otherAlgorithmsAreRejected(String alg) {
        ObjectNode h = stack.header();
        h.put("alg", alg);
        assertThat(reasonOf(stack.sign(h, TestKey.claims(now)))).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void aNonStringAlgIsRejected() {
        String token = stack.signRaw(
                "{\"alg\":[\"EdDSA\"],\"kid\":\"" + stack.kid + "\"}",
                TestKey.claims(now).toString());
        assertThat(reasonOf(token)).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "JOSE", "jwt+passport", ""})
    void anUnexpectedTypIsRejected(String typ) {
        ObjectNode h = stack.header();
        h.put("typ", typ);
        assertThat(reasonOf(stack.sign(h, TestKey.claims(now)))).isEqualTo(Reason.UNSUPPORTED_TYPE);
    }

    // ---- key selection ----

    @Test
    void anUnknownKidIsRejected() {
        ObjectNode h = attacker.header();
        assertThat(reasonOf(attacker.sign(h, TestKey.claims(now)))).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void aMissingKidIsRejectedWhenTheJwksHoldsSeveralKeys() {
        ObjectNode h = stack.header();
        h.remove("kid");
        String token = stack.sign(h, TestKey.claims(now));
        try (PassportVerifier two = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack, TestKey.seeded(3)))
                .clock(clock)
                .build()) {
            assertThatThrownBy(() -> two.verify(token))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256"})
    void aKeyInjectedThroughTheHeaderIsNeverUsed(String member) {
        ObjectNode h = attacker.header();
        switch (member) {
            case "jwk" ->
                h.set(
                        "jwk",
                        TestKey.JSON.valueToTree(java.util.Map.of("kty", "OKP", "crv", "Ed25519", "x", attacker.x)));
            case "x5c" -> h.putArray("x5c").add("MIIBszCCAVmgAwIBAgIJ");
            default -> h.put(member, "https://attacker.example/keys");
        }
        // signed by the attacker's key, and also with the genuine kid: neither may verify
        assertThat(reasonOf(attacker.sign(h, TestKey.claims(now)))).isEqualTo(Reason.FORBIDDEN_HEADER);
        h.put("kid", stack.kid);
        assertThat(reasonOf(attacker.sign(h, TestKey.claims(now)))).isEqualTo(Reason.FORBIDDEN_HEADER);
    }

    @Test
    void aCritHeaderIsRejected() {
        ObjectNode h = stack.header();
        h.putArray("crit").add("exp");
        h.put("exp", 1);
        assertThat(reasonOf(stack.sign(h, TestKey.claims(now)))).isEqualTo(Reason.CRITICAL_HEADER);
    }

    @Test
    void aNonStringKidIsMalformed() {
        String token = stack.signRaw(
                "{\"alg\":\"EdDSA\",\"kid\":7}", TestKey.claims(now).toString());
        assertThat(reasonOf(token)).isEqualTo(Reason.MALFORMED);
    }

    // ---- signatures ----

    @Test
    void aTamperedPayloadIsRejected() {
        String token = validToken();
        ObjectNode c = TestKey.claims(now);
        ((ObjectNode) c.get("stk").get("services").get(0)).putArray("scopes").add("charges:write");
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + TestKey.b64(c.toString()) + "." + parts[2];
        assertThat(reasonOf(tampered)).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyUnderTheGenuineKidIsRejected() {
        ObjectNode h = attacker.header();
        h.put("kid", stack.kid);
        assertThat(reasonOf(attacker.sign(h, TestKey.claims(now)))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aMalleableSignatureWithSPlusLIsRejected() {
        String token = validToken();
        String[] parts = token.split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        BigInteger l = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
        byte[] sLe = Arrays.copyOfRange(sig, 32, 64);
        BigInteger s = new BigInteger(1, reverse(sLe));
        byte[] sPlusL = reverse(toFixed(s.add(l), 32));
        byte[] malleable = Arrays.copyOf(sig, 64);
        System.arraycopy(sPlusL, 0, malleable, 32, 32);
        assertThat(malleable).isNotEqualTo(sig);
        String forged = parts[0] + "." + parts[1] + "." + B64.encodeToString(malleable);
        assertThat(reasonOf(forged)).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(verifier.verify(token).jti()).isEqualTo("pp_8f3a");
    }

    @Test
    void aSignatureOfTheWrongLengthIsRejected() {
        String[] parts = validToken().split("\\.");
        assertThat(reasonOf(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 84)))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reasonOf(parts[0] + "." + parts[1] + ".")).isEqualTo(Reason.BAD_SIGNATURE);
    }

    // ---- size and encoding ----

    @Test
    void aOneMegabyteTokenIsRejectedBeforeParsing() {
        char[] junk = new char[1024 * 1024];
        Arrays.fill(junk, '$'); // not even base64url: parsing would say MALFORMED
        assertThat(reasonOf(new String(junk))).isEqualTo(Reason.TOO_LARGE);
        String big = stack.signRaw(stack.header().toString(), "{\"pad\":\"" + "a".repeat(1024 * 1024) + "\"}");
        assertThat(reasonOf(big)).isEqualTo(Reason.TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a.b", "a.b.c.d", "abc", "e30.e30", ".e30.", "e30..AAAA"})
    void somethingThatIsNotACompactJwsIsMalformed(String token) {
        assertThat(reasonOf(token)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void garbageBase64IsMalformed() {
        String[] parts = validToken().split("\\.");
        assertThat(reasonOf("abc$def." + parts[1] + "." + parts[2])).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(parts[0] + ".@@@@." + parts[2])).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(parts[0] + "." + parts[1] + ".+/+/")).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(parts[0] + "." + parts[1] + "." + "A".repeat(85))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void paddingOrWhitespaceInASegmentIsMalformed() {
        String[] parts = validToken().split("\\.");
        String h = parts[0];
        String p = parts[1];
        String s = parts[2];
        assertThat(reasonOf(h + "==." + p + "." + s)).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(h + "." + p + "." + s + "=")).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(h + "." + p.substring(0, 10) + " " + p.substring(10) + "." + s))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(h + "." + p + "." + s + "\n")).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(" " + h + "." + p + "." + s)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void nonCanonicalTrailingBitsInASegmentAreMalformed() {
        String[] parts = validToken().split("\\.");
        String s = parts[2]; // 86 chars: the last char carries 4 unused bits
        char last = s.charAt(85);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char altered = alphabet.charAt(alphabet.indexOf(last) | 1);
        assertThat(altered).isNotEqualTo(last);
        assertThat(reasonOf(parts[0] + "." + parts[1] + "." + s.substring(0, 85) + altered))
                .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aHeaderOrPayloadThatIsNotAJsonObjectIsMalformed() {
        assertThat(reasonOf(stack.signRaw("[\"EdDSA\"]", "{}"))).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(stack.signRaw(stack.header().toString(), "[1]"))).isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(stack.signRaw(stack.header().toString(), "{\"a\":1} x")))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(stack.signRaw(stack.header().toString(), "{\"a\":1,}")))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reasonOf(stack.signRaw(
                        stack.header() + " //", TestKey.claims(now).toString())))
                .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void invalidUtf8InThePayloadIsMalformed() {
        String header = TestKey.b64(stack.header().toString());
        String payload = B64.encodeToString(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'});
        String input = header + "." + payload;
        String token = input + "." + B64.encodeToString(stack.sign(input.getBytes(StandardCharsets.US_ASCII)));
        assertThat(reasonOf(token)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void duplicateClaimsAreRejected() {
        String claims = TestKey.claims(now).toString();
        String dupSub = "{\"sub\":\"agt_admin\"," + claims.substring(1);
        assertThat(reasonOf(stack.signRaw(stack.header().toString(), dupSub))).isEqualTo(Reason.MALFORMED);
        String dupStk =
                claims.replace("\"operator_id\":\"op_acme\"", "\"operator_id\":\"op_acme\",\"operator_id\":\"op_x\"");
        assertThat(dupStk).isNotEqualTo(claims);
        assertThat(reasonOf(stack.signRaw(stack.header().toString(), dupStk))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void duplicateHeaderMembersAreRejected() {
        String header = "{\"alg\":\"none\",\"alg\":\"EdDSA\",\"kid\":\"" + stack.kid + "\"}";
        assertThat(reasonOf(stack.signRaw(header, TestKey.claims(now).toString())))
                .isEqualTo(Reason.MALFORMED);
    }

    // ---- claims ----

    @ParameterizedTest
    @ValueSource(strings = {"sub", "jti", "exp", "iat", "iss", "aud", "stk"})
    void aMissingRequiredClaimIsRejected(String claim) {
        ObjectNode c = TestKey.claims(now);
        c.remove(claim);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.MISSING_CLAIM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"operator_id", "agent_id", "services"})
    void aMissingRequiredStkMemberIsRejected(String member) {
        ObjectNode c = TestKey.claims(now);
        ((ObjectNode) c.get("stk")).remove(member);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.MISSING_CLAIM);
    }

    @Test
    void anExpiredPassportIsRejectedBeyondTheClockSkewOnly() {
        ObjectNode c = TestKey.claims(now.minusSeconds(3600));
        c.put("exp", now.getEpochSecond() - 29);
        assertThat(verifier.verify(stack.sign(c)).jti()).isEqualTo("pp_8f3a");
        c.put("exp", now.getEpochSecond() - 30);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aPassportNotYetValidIsRejectedBeyondTheClockSkewOnly() {
        ObjectNode c = TestKey.claims(now);
        c.put("nbf", now.getEpochSecond() + 30);
        assertThat(verifier.verify(stack.sign(c)).jti()).isEqualTo("pp_8f3a");
        c.put("nbf", now.getEpochSecond() + 31);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void aPassportIssuedInTheFutureIsRejectedBeyondTheClockSkewOnly() {
        ObjectNode c = TestKey.claims(now.plusSeconds(31));
        c.remove("nbf");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.ISSUED_IN_FUTURE);
        c.put("iat", now.getEpochSecond() + 30);
        assertThat(verifier.verify(stack.sign(c)).jti()).isEqualTo("pp_8f3a");
    }

    @Test
    void aWrongIssuerIsRejected() {
        ObjectNode c = TestKey.claims(now);
        c.put("iss", "https://api.getstack.run.attacker.example");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.WRONG_ISSUER);
    }

    @Test
    void aWrongAudienceIsRejected() {
        ObjectNode c = TestKey.claims(now);
        c.put("aud", "stack:agent");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.WRONG_AUDIENCE);
        c.putArray("aud").add("stack:agent");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void impossibleClaimValuesAreInvalid() {
        ObjectNode c = TestKey.claims(now);
        c.put("exp", String.valueOf(now.getEpochSecond() + 900));
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        c.put("exp", now.getEpochSecond() + 900.5);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        c.put("exp", now.getEpochSecond());
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        c.put("sub", "agt_other");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        c.put("sub", 42);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        ((ObjectNode) c.get("stk")).put("delegation_depth", 2);
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        ((ObjectNode) c.get("stk")).putArray("services").add("stripe");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);

        c = TestKey.claims(now);
        c.put("stk", "x");
        assertThat(reasonOf(stack.sign(c))).isEqualTo(Reason.INVALID_CLAIM);
    }

    @Test
    void wrongExpectationsConfiguredByTheServiceAreHonoured() {
        try (PassportVerifier custom = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack))
                .clock(clock)
                .expectedIssuer("https://stack.internal")
                .expectedAudience("stack:billing")
                .build()) {
            assertThatThrownBy(() -> custom.verify(validToken()))
                    .isInstanceOfSatisfying(
                            PassportVerificationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_ISSUER));
            ObjectNode c = TestKey.claims(now);
            c.put("iss", "https://stack.internal").put("aud", "stack:billing");
            assertThat(custom.verify(stack.sign(c)).audience()).isEqualTo("stack:billing");
        }
    }

    // ---- verified-token cache and revocation ----

    @Test
    void verifyingTheSameTokenAgainIsAnsweredFromTheCache() {
        String token = validToken();
        VerifiedPassport first = verifier.verify(token);
        assertThat(verifier.verify(token)).isSameAs(first);
    }

    @Test
    void aCachedTokenIsRejectedOnceItExpires() {
        String token = validToken();
        verifier.verify(token);
        clock.advance(Duration.ofSeconds(900 + 29));
        assertThat(verifier.verify(token).jti()).isEqualTo("pp_8f3a");
        clock.advance(Duration.ofSeconds(1));
        assertThat(reasonOf(token)).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void theRevocationCheckIsConsultedOnEveryVerifyIncludingCacheHits() {
        AtomicInteger calls = new AtomicInteger();
        revocation.set(p -> {
            calls.incrementAndGet();
            return false;
        });
        String token = validToken();
        verifier.verify(token);
        verifier.verify(token);
        assertThat(calls).hasValue(2);

        revocation.set(p -> p.jti().equals("pp_8f3a"));
        assertThat(reasonOf(token)).isEqualTo(Reason.REVOKED);
    }

    @Test
    void aFailingRevocationCheckRejectsThePassport() {
        revocation.set(p -> {
            throw new IllegalStateException("revocation list unavailable");
        });
        assertThat(reasonOf(validToken())).isEqualTo(Reason.REVOCATION_CHECK_FAILED);
    }

    @Test
    void withTheCacheDisabledEveryVerifyChecksAfresh() {
        try (PassportVerifier uncached = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack))
                .clock(clock)
                .verifiedTokenCacheSize(0)
                .build()) {
            String token = validToken();
            assertThat(uncached.verify(token)).isNotSameAs(uncached.verify(token));
        }
    }

    @Test
    void aFullCacheKeepsWorking() {
        try (PassportVerifier small = PassportVerifier.builder()
                .staticJwks(TestKey.jwks(stack))
                .clock(clock)
                .verifiedTokenCacheSize(3)
                .build()) {
            for (int i = 0; i < 20; i++) {
                ObjectNode c = TestKey.claims(now);
                c.put("jti", "pp_" + i);
                String token = stack.sign(c);
                assertThat(small.verify(token).jti()).isEqualTo("pp_" + i);
                assertThat(small.verify(token).jti()).isEqualTo("pp_" + i);
            }
        }
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static byte[] toFixed(BigInteger v, int len) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[len];
        int copy = Math.min(raw.length, len);
        System.arraycopy(raw, raw.length - copy, out, len - copy, copy);
        return out;
    }
}
