package run.getstack.sdk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded standalone jar as a real process (failsafe, after package). */
class StandaloneJarIT {
    @TempDir
    Path dir;

    private static Path jar() {
        String p = System.getProperty("standalone.jar");
        assertThat(p).as("standalone.jar system property (set by failsafe)").isNotNull();
        Path jar = Path.of(p);
        assertThat(jar).exists();
        return jar;
    }

    private static Process start(Path jar, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] cmd = new String[3 + args.length];
        cmd[0] = java;
        cmd[1] = "-jar";
        cmd[2] = jar.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    @Test
    void startsPrintsItsAddressServesTheSeedAndStopsCleanlyOnSigterm() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {
                  "api_key": "sk_live_op_standalone_test_key",
                  "agents": [ { "name": "research-bot", "accountability_mode": "standard", "credential_access": "direct" } ],
                  "connections": [ { "name": "openai-main", "provider": "openai", "scopes": ["chat"],
                                     "credential": "sk-standalone-secret" } ],
                  "grants": [ { "agent": "research-bot", "connection": "openai-main", "scopes": ["chat"] } ],
                  "detectors": { "credential_burst": "block" }
                }
                """);
        Process p = start(jar(), "--port", "0", "--seed", seed.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return out.readLine();
                                } catch (java.io.IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            },
                            Http.NEW_THREAD)
                    .get(60, TimeUnit.SECONDS);
            CompletableFuture<String> rest = CompletableFuture.supplyAsync(
                    () -> {
                        StringBuilder sb = new StringBuilder();
                        try {
                            for (String line = out.readLine(); line != null; line = out.readLine()) {
                                sb.append(line).append('\n');
                            }
                        } catch (java.io.IOException e) {
                            sb.append("<read failed: ").append(e).append('>');
                        }
                        return sb.toString();
                    },
                    Http.NEW_THREAD);
            JsonNode banner = Http.MAPPER.readTree(first);
            String baseUrl = banner.path("base_url").asText();
            String key = banner.path("api_key").asText();
            assertThat(baseUrl).startsWith("http://127.0.0.1:");
            assertThat(key).isEqualTo("sk_live_op_standalone_test_key");
            String agentId = banner.path("agents").path("research-bot").asText();
            assertThat(agentId).startsWith("agt_");

            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpResponse<String> agents = client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/agents/" + agentId))
                            .header("Authorization", "Bearer " + key)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(agents.statusCode()).isEqualTo(200);
            assertThat(Http.MAPPER.readTree(agents.body()).path("name").asText())
                    .isEqualTo("research-bot");

            // every passport belongs to a mission: the start opens one and issues its passport (§10.4.2)
            HttpResponse<String> issued = client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/missions"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"agent_id\":\"" + agentId + "\",\"intent_summary\":\"standalone check\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            String token = Http.MAPPER
                    .readTree(issued.body())
                    .path("passport")
                    .path("token")
                    .asText();
            HttpResponse<String> cred = client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/credentials/openai"))
                            .header("Authorization", "Bearer " + key)
                            .header("X-Passport-Token", token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Http.MAPPER.readTree(cred.body()).path("credential").asText())
                    .isEqualTo("sk-standalone-secret");

            // SIGTERM via the handle: Process.destroy() would also close our end of stdout before we read it
            assertThat(p.toHandle().destroy()).isTrue();
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("process stops after SIGTERM")
                    .isTrue();
            // 143 = terminated by SIGTERM after the shutdown hook ran
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(rest.get(30, TimeUnit.SECONDS)).isEqualTo("{\"stopped\":true}\n");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadSeedFileExitsWithStatus2() throws Exception {
        Path seed = dir.resolve("bad.json");
        Files.writeString(seed, "{\"agents\": [ { \"name\": 42 } ]}");
        Process p = start(jar(), "--seed", seed.toString());
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return out.readLine();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        Http.NEW_THREAD)
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void stackV1OnlyAnswersExtensionRoutes404WhileStackRoutesWorkAndStderrStaysClean() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {
                  "api_key": "sk_live_op_standalone_v1_only_key",
                  "agents": [ { "name": "v1-bot", "accountability_mode": "standard", "credential_access": "direct" } ],
                  "connections": [ { "name": "openai", "provider": "openai", "scopes": ["chat"],
                                     "credential": "sk-standalone-v1-secret" } ],
                  "grants": [ { "agent": "v1-bot", "connection": "openai", "scopes": ["chat"] } ]
                }
                """);
        Path stderr = dir.resolve("stderr.txt");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        javaBin, "-jar", jar().toString(), "--port", "0", "--seed", seed.toString(), "--stack-v1-only")
                .redirectError(stderr.toFile())
                .start();
        try {
            JsonNode banner = Http.MAPPER.readTree(firstLine(p));
            String baseUrl = banner.path("base_url").asText();
            String key = banner.path("api_key").asText();
            String agentId = banner.path("agents").path("v1-bot").asText();
            Http http = new Http(baseUrl, key);

            Http.Reply issued =
                    http.post("/v1/missions", java.util.Map.of("agent_id", agentId, "intent_summary", "v1 only"));
            assertThat(issued.status()).as(issued.text()).isEqualTo(201);
            String token = issued.json().path("passport").path("token").asText();
            Http.Reply cred = http.passport(token).get("/v1/credentials/openai");
            assertThat(cred.status()).as(cred.text()).isEqualTo(200);
            Http.Reply proxied = http.passport(token)
                    .post(
                            "/v1/proxy",
                            java.util.Map.of("service", "openai", "method", "GET", "url", baseUrl + "/v1/services"));
            assertThat(proxied.status()).as(proxied.text()).isEqualTo(200);

            for (Http.Reply r : java.util.List.of(
                    http.passport(token).post("/v1/leases", java.util.Map.of("provider", "openai")),
                    http.get("/v1/revocations"),
                    http.post("/v1/audit/events", java.util.Map.of("events", java.util.List.of())))) {
                Replies.assertRefused(r, 404, "NOT_FOUND", "unknown_route");
            }

            String leaseId = "lse_" + "standalone".repeat(3) + "xy";
            Http.Reply release = http.delete("/v1/leases/" + leaseId);
            assertThat(release.status()).isEqualTo(404);
            assertThat(release.text()).doesNotContain(leaseId);

            String body = "{\"x\":1}";
            RawSocket.Answer getWithBody = RawSocket.exchange(
                    baseUrl,
                    "GET /v1/leases/" + leaseId + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                            + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertThat(getWithBody.status()).isEqualTo(400);
            assertThat(Http.MAPPER
                            .readTree(getWithBody.body())
                            .path("error")
                            .path("code")
                            .asText())
                    .isEqualTo("INVALID_REQUEST");

            assertThat(p.toHandle().destroy()).isTrue();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(stderr);
            assertThat(err).doesNotContain("No SLF4J providers").doesNotContain("NOP");
            assertThat(err).doesNotContain(leaseId).doesNotContain("sk_live_op_standalone_v1_only_key");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aMalformedSeedFileNamesKindAndPlaceButNotItsContent() throws Exception {
        Path seed = dir.resolve("malformed.json");
        Files.writeString(seed, "{\n  \"api_key\": sk_live_op_unquoted_standalone_secret\n}");
        Path stderr = dir.resolve("stderr-bad.txt");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-jar", jar().toString(), "--seed", seed.toString())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            String err = Files.readString(stderr);
            assertThat(err).contains("line 2").doesNotContain("unquoted_standalone_secret");
        } finally {
            p.destroyForcibly();
        }
    }
}
