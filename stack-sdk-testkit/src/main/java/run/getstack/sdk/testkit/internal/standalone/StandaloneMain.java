package run.getstack.sdk.testkit.internal.standalone;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.testkit.AgentSettings;
import run.getstack.sdk.testkit.CredentialAccess;
import run.getstack.sdk.testkit.DetectorMode;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.Signal;
import run.getstack.sdk.testkit.SignalAction;
import run.getstack.sdk.testkit.internal.Json;

/**
 * Internal, not for public use. {@code java -jar stack-sdk-testkit-<version>-standalone.jar [--port N] [--seed
 * FILE] [--stack-v1-only]}: runs the fake control plane until SIGINT/SIGTERM. {@code --stack-v1-only} makes the
 * project's extension routes answer 404 as the hosted STACK would. The first stdout line is one JSON object with {@code
 * base_url}, {@code api_key}, {@code operator_id} and the ids of seeded agents and connections by name.
 */
public final class StandaloneMain {
    /** Largest seed file accepted. */
    static final long MAX_SEED_BYTES = 1_048_576;

    private StandaloneMain() {}

    /** A bad command line or seed file; the message says what was wrong. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Entry point.
     *
     * @param args command line
     */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FakeControlPlane fake;
        ObjectNode banner;
        try {
            Options o = parse(args);
            if (o.help) {
                out.println(usage());
                return;
            }
            JsonNode seed = o.seedFile == null ? Json.object() : readSeed(o.seedFile);
            FakeControlPlane.Builder b =
                    FakeControlPlane.builder().clock(Clock.systemUTC()).port(o.port);
            if (o.stackV1Only) {
                b.stackV1Only();
            }
            String key = text(seed, "api_key");
            if (key != null) {
                b.operatorApiKey(key);
            }
            String issuer = text(seed, "issuer");
            if (issuer != null) {
                b.issuer(issuer);
            }
            fake = b.start();
            try {
                banner = applySeed(fake, seed);
            } catch (UsageException | RuntimeException e) {
                fake.close();
                throw e;
            }
        } catch (UsageException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("stack-sdk-testkit: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        FakeControlPlane running = fake;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            out.println("{\"stopped\":true}");
                            stopped.countDown();
                        },
                        "stack-fake-shutdown"));
        out.println(Json.write(banner));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String usage() {
        return "usage: java -jar stack-sdk-testkit-<version>-standalone.jar [--port N] [--seed FILE]"
                + " [--stack-v1-only]";
    }

    static final class Options {
        int port;

        @Nullable
        Path seedFile;

        boolean help;

        boolean stackV1Only;
    }

    static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--port needs a value");
                    }
                    try {
                        o.port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new UsageException("--port must be an integer 0-65535");
                    }
                    if (o.port < 0 || o.port > 65_535) {
                        throw new UsageException("--port must be an integer 0-65535");
                    }
                }
                case "--seed" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--seed needs a file");
                    }
                    o.seedFile = Path.of(args[++i]);
                }
                case "--stack-v1-only" -> o.stackV1Only = true;
                case "--help", "-h" -> o.help = true;
                default -> throw new UsageException("unknown argument: " + args[i]);
            }
        }
        return o;
    }

    static JsonNode readSeed(Path file) throws UsageException {
        try {
            if (Files.size(file) > MAX_SEED_BYTES) {
                throw new UsageException("seed file is larger than 1 MiB: " + file);
            }
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(Files.readAllBytes(file));
            } catch (JsonProcessingException e) {
                throw new UsageException("seed file " + file + " is not valid JSON: " + describe(e));
            }
            if (n == null || !n.isObject()) {
                throw new UsageException("seed file must hold a JSON object: " + file);
            }
            return n;
        } catch (IOException e) {
            throw new UsageException("cannot read seed file " + file + ": " + e.getMessage());
        }
    }

    /**
     * What went wrong in a seed file, by kind and place only: Jackson's own message quotes the offending token,
     * which may be a secret from the file.
     */
    static String describe(JsonProcessingException e) {
        String kind;
        if (e instanceof JsonEOFException) {
            kind = "unexpected end of input";
        } else if (e instanceof JsonParseException) {
            kind = "syntax error";
        } else {
            kind = "unreadable content";
        }
        JsonLocation at = e.getLocation();
        return at == null ? kind : kind + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static @Nullable String text(JsonNode n, String field) throws UsageException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new UsageException("seed: " + field + " must be a string");
        }
        return v.asText();
    }

    private static String required(JsonNode n, String field, String where) throws UsageException {
        String s = text(n, field);
        if (s == null) {
            throw new UsageException("seed: " + where + "." + field + " is required");
        }
        return s;
    }

    private static List<String> strings(JsonNode n, String field, String where) throws UsageException {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new UsageException("seed: " + where + "." + field + " must be a non-empty array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new UsageException("seed: " + where + "." + field + " must hold strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode seed, String field) throws UsageException {
        JsonNode v = seed.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new UsageException("seed: " + field + " must be an array");
        }
        return v;
    }

    static ObjectNode applySeed(FakeControlPlane fake, JsonNode seed) throws UsageException {
        Map<String, String> agents = new LinkedHashMap<>();
        Map<String, String> connections = new LinkedHashMap<>();
        for (JsonNode a : array(seed, "agents")) {
            String name = required(a, "name", "agents[]");
            String mode = text(a, "accountability_mode");
            String id = mode == null ? fake.seed().agent(name) : fake.seed().agent(name, mode);
            AgentSettings settings = fake.seed().agentSettings(id);
            boolean changed = false;
            String onWarning = text(a, "on_warning");
            if (onWarning != null) {
                settings.onWarning(SignalAction.fromWire(onWarning));
                changed = true;
            }
            String onCritical = text(a, "on_critical");
            if (onCritical != null) {
                settings.onCritical(SignalAction.fromWire(onCritical));
                changed = true;
            }
            String access = text(a, "credential_access");
            if (access != null) {
                settings.credentialAccess(CredentialAccess.fromWire(access));
                changed = true;
            }
            String description = text(a, "description");
            if (description != null) {
                settings.description(description);
                changed = true;
            }
            if (changed) {
                settings.apply();
            }
            JsonNode baseline = a.get("baseline_per_window");
            if (baseline != null && baseline.isNumber()) {
                fake.seed().baseline(id, baseline.asDouble());
            }
            agents.put(name, id);
        }
        for (JsonNode c : array(seed, "connections")) {
            String provider = required(c, "provider", "connections[]");
            String name = text(c, "name");
            List<String> scopes = strings(c, "scopes", "connections[]");
            String[] scopeArray = scopes.toArray(new String[0]);
            JsonNode fields = c.get("credentials");
            String id;
            if (fields != null && fields.isObject()) {
                Map<String, String> m = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : fields.properties()) {
                    if (!e.getValue().isTextual()) {
                        throw new UsageException("seed: connections[].credentials values must be strings");
                    }
                    m.put(e.getKey(), e.getValue().asText());
                }
                id = fake.seed().multiFieldConnection(provider, m, scopeArray);
            } else {
                id = fake.seed().connection(provider, required(c, "credential", "connections[]"), scopeArray);
            }
            connections.put(name == null ? provider : name, id);
        }
        for (JsonNode g : array(seed, "grants")) {
            String agent = required(g, "agent", "grants[]");
            String conn = required(g, "connection", "grants[]");
            String agentId = agents.getOrDefault(agent, agent);
            String connId = connections.getOrDefault(conn, conn);
            fake.seed().grant(agentId, connId, strings(g, "scopes", "grants[]").toArray(new String[0]));
        }
        JsonNode detectors = seed.get("detectors");
        if (detectors != null && detectors.isObject()) {
            for (Map.Entry<String, JsonNode> e : detectors.properties()) {
                Signal signal = null;
                for (Signal s : Signal.values()) {
                    if (s.wireName().equals(e.getKey())) {
                        signal = s;
                    }
                }
                if (signal == null || !e.getValue().isTextual()) {
                    throw new UsageException("seed: detectors." + e.getKey() + " is not a known detector/mode");
                }
                DetectorMode mode;
                try {
                    mode = DetectorMode.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException ex) {
                    throw new UsageException("seed: detectors." + e.getKey() + " must be policy, alert, block or off");
                }
                fake.detectors().mode(signal, mode);
            }
        }
        ObjectNode banner = Json.object();
        banner.put("base_url", fake.baseUrl());
        banner.put("api_key", fake.operatorApiKey());
        banner.put("operator_id", fake.operatorId());
        ObjectNode an = banner.putObject("agents");
        agents.forEach(an::put);
        ObjectNode cn = banner.putObject("connections");
        connections.forEach(cn::put);
        return banner;
    }
}
