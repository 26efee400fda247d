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
                  "agents": [ { "name": "research-bot", "accountability_mode": "standard" } ],
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

            HttpResponse<String> issued = client.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/v1/passports/issue"))
                            .header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"" + agentId + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            String token = Http.MAPPER.readTree(issued.body()).path("token").asText();
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
}
