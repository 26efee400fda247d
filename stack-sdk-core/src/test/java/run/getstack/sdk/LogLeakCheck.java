package run.getstack.sdk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class if any log line written while it ran contains a credential value, a raw lease id or a token.
 * Registered for every test class of the module (JUnit extension auto-detection, see {@code
 * junit-platform.properties}); the module's tests log through slf4j-simple into the file named by the system property
 * {@code org.slf4j.simpleLogger.logFile} (set by the module's surefire configuration), SDK loggers at DEBUG. Values
 * are registered by the tests that seed them ({@link #watch(String...)}); raw lease ids ({@code lse_} + 32 characters)
 * and JWTs are recognised by their shape. A failure shows the offending line redacted, never the value.
 */
public final class LogLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final Set<String> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Pattern SHAPES =
            Pattern.compile("lse_[a-z0-9]{32}|eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LogLeakCheck.class);

    /**
     * Adds secret values that must never appear in a log line.
     *
     * @param values the values
     */
    public static void watch(String... values) {
        for (String v : values) {
            if (v.length() >= 8) {
                WATCHED.add(v);
            }
        }
    }

    static Path logFile() {
        String f = System.getProperty("org.slf4j.simpleLogger.logFile");
        return f == null || f.equals("System.err") || f.equals("System.out") ? null : Path.of(f);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        // slf4j-simple truncates its file when it starts: start it before taking the offset
        org.slf4j.LoggerFactory.getLogger(LogLeakCheck.class);
        Path f = logFile();
        context.getStore(NS).put("offset", f != null && Files.exists(f) ? Files.size(f) : 0L);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        Path f = logFile();
        if (f == null || !Files.exists(f)) {
            return;
        }
        long offset = context.getStore(NS).getOrDefault("offset", Long.class, 0L);
        List<String> leaks = scan(f, offset, Set.of());
        if (!leaks.isEmpty()) {
            throw new AssertionError("log lines written during " + context.getDisplayName()
                    + " contain a secret (credential value, raw lease id or token), redacted here: " + leaks);
        }
    }

    /** Returns the redacted lines from {@code offset} on that contain a watched value or a secret shape. */
    static List<String> scan(Path f, long offset, Set<String> extra) throws IOException {
        byte[] bytes;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) {
                return List.of();
            }
            bytes = new byte[(int) Math.min(len - offset, 64L * 1024 * 1024)];
            raf.seek(offset);
            raf.readFully(bytes);
        }
        List<String> leaks = new ArrayList<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            String redacted = redact(line, extra);
            if (!redacted.equals(line)) {
                leaks.add(redacted.length() > 300 ? redacted.substring(0, 300) + "..." : redacted);
            }
        }
        return leaks;
    }

    static String redact(String line, Set<String> extra) {
        String r = SHAPES.matcher(line).replaceAll("[REDACTED]");
        for (String v : extra) {
            r = r.replace(v, "[REDACTED]");
        }
        for (String v : WATCHED) {
            r = r.replace(v, "[REDACTED]");
        }
        return r;
    }
}
