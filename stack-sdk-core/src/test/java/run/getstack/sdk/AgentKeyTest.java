package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.internal.http.Json;

/** Agent key-pair enrollment and agent-signed JWTs (docs/wire-protocol.md §2.3, §2.4) against MockWebServer. */
class AgentKeyTest extends TransportTestSupport {
    private static final String CHALLENGE = "q0ZbTgGm4Tn0j3H1oQ6gkz8n3XYyE3bqg7ZKc0uM9Ww";

    @TempDir
    Path home;

    private Path keyFile() {
        return home.resolve(".stack").resolve("agents").resolve("agt_1.json");
    }

    private Path lockFile() {
        return keyFile().resolveSibling("agt_1.json.lock");
    }

    private StackClient.Builder agentClient() {
        return clientBuilder().agentId("agt_1").agentKeyFile(keyFile());
    }

    /** The agent object read before enrolling: no key enrolled yet. */
    private void enqueueNotEnrolled() {
        server.enqueue(json(200, "{\"id\":\"agt_1\",\"public_key_jwk\":null}"));
    }

    private void enqueueEnrollment() {
        enqueueNotEnrolled();
        server.enqueue(json(
                201,
                "{\"challenge_id\":\"ech_1\",\"challenge\":\"" + CHALLENGE
                        + "\",\"expires_at\":\"2026-01-01T00:05:00.000Z\"}"));
        server.enqueue(json(200, "{\"id\":\"agt_1\",\"public_key_jwk\":{}}"));
    }

    private static JsonNode part(String jwt, int i) {
        return Json.parse(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), 200, null);
    }

    private static boolean verifies(String x, byte[] message, byte[] sig) {
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, new Ed25519PublicKeyParameters(Base64.getUrlDecoder().decode(x), 0));
        v.update(message, 0, message.length);
        return v.verifySignature(sig);
    }

    @Test
    void theFirstCallEnrollsAKeyWithProofOfPossessionAndWritesAnOwnerOnlyKeyFile() throws Exception {
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        StackClient client = agentClient().build();

        get(client, "/v1/agents/agt_1");

        RecordedRequest lookup = server.takeRequest();
        assertThat(lookup.getMethod()).isEqualTo("GET");
        assertThat(lookup.getUrl().encodedPath()).isEqualTo("/v1/agents/agt_1");
        assertThat(lookup.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        RecordedRequest challenge = server.takeRequest();
        assertThat(challenge.getUrl().encodedPath()).isEqualTo("/v1/agents/agt_1/enrollment-challenge");
        assertThat(challenge.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        RecordedRequest enroll = server.takeRequest();
        assertThat(enroll.getUrl().encodedPath()).isEqualTo("/v1/agents/agt_1/enroll");
        assertThat(enroll.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        JsonNode body = Json.parse(enroll.getBody().toByteArray(), 200, null);
        JsonNode jwk = body.get("public_key");
        assertThat(jwk.get("kty").asText()).isEqualTo("OKP");
        assertThat(jwk.get("crv").asText()).isEqualTo("Ed25519");
        assertThat(jwk.has("d")).isFalse();
        assertThat(body.get("challenge_id").asText()).isEqualTo("ech_1");
        String x = jwk.get("x").asText();
        byte[] sig = Base64.getUrlDecoder().decode(body.get("signed_challenge").asText());
        assertThat(verifies(x, CHALLENGE.getBytes(StandardCharsets.US_ASCII), sig))
                .isTrue();

        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile());
        assertThat(perms).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(keyFile().getParent()))
                .containsExactlyInAnyOrder(
                        PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE);
        JsonNode file = Json.parse(Files.readAllBytes(keyFile()), 200, null);
        assertThat(file.get("agent_id").asText()).isEqualTo("agt_1");
        assertThat(file.get("x").asText()).isEqualTo(x);
        assertThat(file.get("d").asText()).hasSize(43);
        try (var files = Files.list(keyFile().getParent())) {
            // the key file and the (empty, owner-only) enrollment lock; no temporary file is left behind
            assertThat(files).containsExactlyInAnyOrder(keyFile(), lockFile());
        }

        RecordedRequest call = server.takeRequest();
        String jwt = call.getHeaders().get("Authorization").substring("Bearer ".length());
        assertThat(part(jwt, 0).get("alg").asText()).isEqualTo("EdDSA");
        JsonNode claims = part(jwt, 1);
        assertThat(claims.get("iss").asText()).isEqualTo("stack-sdk");
        assertThat(claims.get("sub").asText()).isEqualTo("agt_1");
        assertThat(claims.get("aud").asText()).isEqualTo("stack:agent");
        long iat = claims.get("iat").asLong();
        assertThat(iat).isEqualTo(clock.instant().getEpochSecond());
        assertThat(claims.get("nbf").asLong()).isEqualTo(iat);
        assertThat(claims.get("exp").asLong()).isEqualTo(iat + 60);
        assertThat(claims.get("jti").asText()).hasSize(22);
        String[] parts = jwt.split("\\.");
        assertThat(verifies(
                        x,
                        (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
                        Base64.getUrlDecoder().decode(parts[2])))
                .isTrue();
    }

    @Test
    void everyAttemptCarriesAFreshJwt() throws Exception {
        enqueueEnrollment();
        server.enqueue(error(503, "SERVICE_UNAVAILABLE", "down"));
        server.enqueue(json(200, "{}"));
        StackClient client = agentClient().build();

        get(client, "/v1/agents/agt_1");

        server.takeRequest();
        server.takeRequest();
        server.takeRequest();
        String first = server.takeRequest().getHeaders().get("Authorization");
        String second = server.takeRequest().getHeaders().get("Authorization");
        assertThat(first).startsWith("Bearer eyJ");
        assertThat(part(first.substring(7), 1).get("jti").asText())
                .isNotEqualTo(part(second.substring(7), 1).get("jti").asText());
    }

    @Test
    void anExistingKeyFileIsUsedWithoutAnApiKeyOrEnrollment() throws Exception {
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        agentClient().build();
        get(agentClient().build(), "/v1/x");
        server.takeRequest();
        server.takeRequest();
        server.takeRequest();
        server.takeRequest();

        server.enqueue(json(200, "{}"));
        StackClient noKey = StackClient.builder()
                .environment(name -> null)
                .baseUrl(server.url("/").toString())
                .agentId("agt_1")
                .agentKeyFile(keyFile())
                .build();
        get(noKey, "/v1/agents/agt_1");
        RecordedRequest r = server.takeRequest();
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/agents/agt_1");
        assertThat(r.getHeaders().get("Authorization")).startsWith("Bearer eyJ");
        assertThat(noKey.toString()).contains("apiKey=null", "enrolled=true");
    }

    @Test
    void aKeyFileReadableByOthersIsRefused() throws Exception {
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        get(agentClient().build(), "/v1/x");
        Files.setPosixFilePermissions(keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> agentClient().build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("owner only");
    }

    @Test
    void aKeyFileInADirectoryOthersCanWriteIsRefused() throws Exception {
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        get(agentClient().build(), "/v1/x");
        Files.setPosixFilePermissions(keyFile().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> agentClient().build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("writable by others");
    }

    @Test
    void twoClientsSharingOneKeyFileEnrollOnceAndTheSecondUsesTheFirstsKey() throws Exception {
        StackClient first = agentClient().build();
        StackClient second = agentClient().build(); // built before any key file exists
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        server.enqueue(json(200, "{}"));

        get(first, "/v1/x");
        get(second, "/v1/y");

        assertThat(server.takeRequest().getUrl().encodedPath()).endsWith("/v1/agents/agt_1");
        assertThat(server.takeRequest().getUrl().encodedPath()).endsWith("/enrollment-challenge");
        assertThat(server.takeRequest().getUrl().encodedPath()).endsWith("/enroll");
        String a = server.takeRequest().getHeaders().get("Authorization");
        String b = server.takeRequest().getHeaders().get("Authorization");
        assertThat(server.getRequestCount()).isEqualTo(5);
        // both JWTs carry the same agent key: their signatures verify under the one public key on file
        String x = Json.parse(Files.readAllBytes(keyFile()), 200, null).get("x").asText();
        for (String auth : new String[] {a, b}) {
            String jwt = auth.substring("Bearer ".length());
            int dot = jwt.lastIndexOf('.');
            assertThat(verifies(
                            x,
                            jwt.substring(0, dot).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                            Base64.getUrlDecoder().decode(jwt.substring(dot + 1))))
                    .isTrue();
        }
    }

    @Test
    void aKeyFileForAnotherAgentOrWithAMismatchedKeyIsRefusedWithoutShowingTheKey() throws Exception {
        enqueueEnrollment();
        server.enqueue(json(200, "{}"));
        get(agentClient().build(), "/v1/x");
        JsonNode file = Json.parse(Files.readAllBytes(keyFile()), 200, null);
        String d = file.get("d").asText();

        assertThatThrownBy(() ->
                        clientBuilder().agentId("agt_2").agentKeyFile(keyFile()).build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("not for agent agt_2");

        String tampered = new String(Files.readAllBytes(keyFile()), StandardCharsets.UTF_8)
                .replace(
                        file.get("x").asText(),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        Files.writeString(keyFile(), tampered);
        assertThatThrownBy(() -> agentClient().build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageContaining("does not match")
                .hasMessageNotContaining(d);
    }

    @Test
    void aRefusedEnrollmentLeavesNoKeyFile() throws Exception {
        enqueueNotEnrolled();
        server.enqueue(json(
                201,
                "{\"challenge_id\":\"ech_1\",\"challenge\":\"" + CHALLENGE
                        + "\",\"expires_at\":\"2026-01-01T00:05:00.000Z\"}"));
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .setHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"bad signature\",\"code\":\"INVALID_REQUEST\","
                        + "\"details\":{\"reason\":\"bad_signature\"}}}")
                .build());
        StackClient client = agentClient().build();

        assertThatThrownBy(() -> get(client, "/v1/x"))
                .isInstanceOfSatisfying(
                        StackInvalidRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo("bad_signature"));
        assertThat(Files.exists(keyFile())).isFalse();
        try (var files = Files.list(keyFile().getParent())) {
            assertThat(files).containsExactly(lockFile());
        }
    }

    @Test
    void agentKeyModeNeedsAnAgentIdAndAnApiKeyWhenNotYetEnrolled() {
        assertThatThrownBy(() -> clientBuilder().agentKeyFile(keyFile()).build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessage("agentKeyFile: requires agentId");
        assertThatThrownBy(() -> StackClient.builder()
                        .environment(Map.<String, String>of()::get)
                        .agentId("agt_1")
                        .agentKeyFile(keyFile())
                        .build())
                .isInstanceOf(StackConfigurationException.class)
                .hasMessageStartingWith("apiKey:");
    }

    @Test
    void theDefaultKeyFileIsUnderTheUsersStackDirectory() {
        assertThat(StackClient.defaultAgentKeyFile("agt_1"))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".stack", "agents", "agt_1.json"));
        assertThatThrownBy(() -> StackClient.defaultAgentKeyFile("../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
