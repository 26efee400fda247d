package run.getstack.sdk.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import run.getstack.sdk.internal.crypto.Ed25519Verify;
import run.getstack.sdk.passport.PassportVerifier;
import run.getstack.sdk.passport.VerifiedPassport;

/**
 * Passport verification cost: the raw BouncyCastle Ed25519 verify of the same signing input (decoding the key each
 * time), the JDK's own Ed25519 and Tink's (which Nimbus JOSE+JWT's {@code Ed25519Verifier} uses) on the same input
 * (the alternatives not chosen), the SDK's Ed25519 wrapper with its
 * once-decoded key ({@link #precomputedKeyVerify()}, the baseline), a full {@link PassportVerifier#verify(String)}
 * with the verified-token cache disabled, from a static JWKS ({@link #freshVerify()}) and from a JWKS fetched over
 * HTTP ({@link #freshVerifyFetchedJwks()}: each key is decoded once, when the fetched set is parsed), the same call
 * answered from the cache, a scope check on the result, and a full verification of a passport that carries two
 * identity claims and a proxy constraint ({@link #freshVerifyWithClaims()}: these lists are read only when present).
 *
 * <p>The figure to watch is the ratio {@code freshVerify / precomputedKeyVerify} (goal: at most 1.02): what a full
 * verification adds to the signature check itself (shape, base64url, strict JSON, header and claim checks). Measured
 * 1.058 on 2026-11-30 (3 forks × 8 iterations, JDK 17, 2 cores), where Jackson's tokenizer alone costs 2.2 % of the
 * signature check; see {@code docs/jose.md}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PassportVerifyBenchmark {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    private final byte[] signingInput;
    private final byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
    private final String token;
    private final String tokenWithClaims;
    private final Ed25519Verify key;
    private final PassportVerifier fresh;
    private final PassportVerifier cached;
    private final PassportVerifier fetched;
    private final com.sun.net.httpserver.HttpServer jwksServer;
    private final VerifiedPassport passport;
    private final java.security.PublicKey jdkKey;
    private final com.google.crypto.tink.subtle.Ed25519Verify tinkKey;

    /** Creates a key pair, a signed passport and two verifiers (with and without the verified-token cache). */
    public PassportVerifyBenchmark() {
        byte[] privateKey = new byte[Ed25519.SECRET_KEY_SIZE];
        for (int i = 0; i < privateKey.length; i++) {
            privateKey[i] = (byte) (i * 7 + 3);
        }
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        String x = B64.encodeToString(publicKey);
        String kid = "bench-key";
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"iss\":\"https://api.getstack.run\",\"sub\":\"agt_bench\",\"aud\":\"stack:passport\","
                + "\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + ",\"jti\":\"pp_bench\","
                + "\"stk\":{\"operator_id\":\"op_bench\",\"agent_id\":\"agt_bench\",\"agent_name\":\"bench\","
                + "\"services\":[{\"service_id\":\"svc_conn_stripe\",\"service_name\":\"stripe\","
                + "\"scopes\":[\"charges:read\",\"customers:read\"],\"credential_ref\":\"cred_ref_1\",\"constraints\":[]},"
                + "{\"service_id\":\"svc_conn_slack\",\"service_name\":\"slack\",\"scopes\":[\"chat:write\"],"
                + "\"credential_ref\":\"cred_ref_2\",\"constraints\":[]}],\"identity_claims\":[],"
                + "\"delegation_depth\":0,\"session_id\":\"ses_bench\",\"accountability\":\"enforced\","
                + "\"intent_summary\":\"benchmark\",\"intent_services\":[\"stripe\"],\"checkpoint_interval\":300,"
                + "\"parent_jti\":null,\"delegation_chain\":[]}}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        signingInput = input.getBytes(StandardCharsets.US_ASCII);
        Ed25519.sign(privateKey, 0, signingInput, 0, signingInput.length, signature, 0);
        token = input + "." + B64.encodeToString(signature);
        String withClaims = claims.replace(
                        "\"constraints\":[]},{",
                        "\"constraints\":[{\"path\":\"method\",\"op\":\"eq\",\"value\":\"GET\"}]},{")
                .replace(
                        "\"identity_claims\":[]",
                        "\"identity_claims\":[{\"claim_id\":\"clm_1\",\"provider\":\"bankid_se\",\"layer\":"
                                + "\"humanity\",\"claim_type\":\"verified_human\",\"assurance_level\":\"high\","
                                + "\"verified_at\":" + now + ",\"expires_at\":" + (now + 86_400) + "},{\"claim_id\":"
                                + "\"clm_2\",\"provider\":\"bankid_se\",\"layer\":\"identity\",\"claim_type\":"
                                + "\"verified_identity\",\"assurance_level\":\"high\",\"verified_at\":" + now
                                + ",\"expires_at\":" + (now + 86_400) + "}]");
        byte[] claimsInput = (B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                        + B64.encodeToString(withClaims.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
        byte[] claimsSignature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey, 0, claimsInput, 0, claimsInput.length, claimsSignature, 0);
        tokenWithClaims =
                new String(claimsInput, StandardCharsets.US_ASCII) + "." + B64.encodeToString(claimsSignature);
        key = Ed25519Verify.fromPublicKey(publicKey);

        String jwks = "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"" + x + "\",\"kid\":\"" + kid
                + "\",\"use\":\"sig\",\"alg\":\"EdDSA\"}]}";
        fresh = PassportVerifier.builder()
                .staticJwks(jwks)
                .verifiedTokenCacheSize(0)
                .build();
        cached = PassportVerifier.builder().staticJwks(jwks).build();
        try {
            // the JWKS served over loopback HTTP, fetched once by the verifier (max-age one hour)
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            jwksServer = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
            jwksServer.createContext("/v1/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
                exchange.sendResponseHeaders(200, body.length);
                try (java.io.OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            jwksServer.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        fetched = PassportVerifier.builder()
                .jwksUrl("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/v1/.well-known/jwks.json")
                .verifiedTokenCacheSize(0)
                .build();
        fetched.verify(token); // fetches the JWKS now, not inside the measurement
        passport = cached.verify(token);
        fresh.verify(token); // fail fast if the token is wrong
        if (fresh.verify(tokenWithClaims).identityClaims().size() != 2) {
            throw new IllegalStateException("the benchmark token with claims lost them");
        }
        try {
            // the same key through the JDK's provider: an X.509 SubjectPublicKeyInfo is the fixed 12-byte Ed25519
            // prefix followed by the 32 key bytes
            byte[] spki = new byte[44];
            byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
            System.arraycopy(prefix, 0, spki, 0, 12);
            System.arraycopy(publicKey, 0, spki, 12, 32);
            jdkKey = java.security.KeyFactory.getInstance("Ed25519")
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
            if (!jdkVerify()) {
                throw new IllegalStateException("the JDK does not verify the benchmark signature");
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        tinkKey = new com.google.crypto.tink.subtle.Ed25519Verify(publicKey);
        if (!tinkVerify()) {
            throw new IllegalStateException("Tink does not verify the benchmark signature");
        }
    }

    /**
     * The alternative the SDK did not choose: the JDK's own Ed25519 ({@code SunEC}) on the same input and key.
     *
     * @return the result (consumed by JMH)
     * @throws java.security.GeneralSecurityException never for this fixed input
     */
    @Benchmark
    public boolean jdkVerify() throws java.security.GeneralSecurityException {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initVerify(jdkKey);
        s.update(signingInput);
        return s.verify(signature);
    }

    /**
     * Tink's Ed25519 verify (as Nimbus JOSE+JWT's {@code Ed25519Verifier} calls it) on the same input and key.
     *
     * @return the result (consumed by JMH)
     */
    @Benchmark
    public boolean tinkVerify() {
        try {
            tinkKey.verify(signature, signingInput);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The baseline: BouncyCastle's Ed25519 verify of the token's signing input, decoding the public key each time.
     *
     * @return the result (consumed by JMH)
     */
    @Benchmark
    public boolean rawBouncyCastleVerify() {
        return Ed25519.verify(signature, 0, publicKey, 0, signingInput, 0, signingInput.length);
    }

    /**
     * The SDK's Ed25519 wrapper with the key decoded once.
     *
     * @return the result (consumed by JMH)
     */
    @Benchmark
    public boolean precomputedKeyVerify() {
        return key.verify(signingInput, signature);
    }

    /**
     * A full passport verification: shape, base64url, strict JSON, header checks, signature and claims.
     *
     * @return the passport (consumed by JMH)
     */
    @Benchmark
    public VerifiedPassport freshVerify() {
        return fresh.verify(token);
    }

    /**
     * A full passport verification of a passport carrying two identity claims and one proxy constraint.
     *
     * @return the passport (consumed by JMH)
     */
    @Benchmark
    public VerifiedPassport freshVerifyWithClaims() {
        return fresh.verify(tokenWithClaims);
    }

    /**
     * A full passport verification with the keys of a fetched JWKS (decoded once, when the fetch was parsed).
     *
     * @return the passport (consumed by JMH)
     */
    @Benchmark
    public VerifiedPassport freshVerifyFetchedJwks() {
        return fetched.verify(token);
    }

    /**
     * A verification answered from the verified-token cache (expiry re-checked, key still published).
     *
     * @return the passport (consumed by JMH)
     */
    @Benchmark
    public VerifiedPassport cachedVerify() {
        return cached.verify(token);
    }

    /**
     * A scope check on a verified passport.
     *
     * @return the result (consumed by JMH)
     */
    @Benchmark
    public boolean scopeCheck() {
        return passport.allows("stripe", "charges:read");
    }

    /** Closes the verifiers and the JWKS server. */
    @TearDown
    public void close() {
        fresh.close();
        cached.close();
        fetched.close();
        jwksServer.stop(0);
    }
}
