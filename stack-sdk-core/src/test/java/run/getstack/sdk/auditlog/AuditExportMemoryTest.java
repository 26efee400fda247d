package run.getstack.sdk.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * 50,000 audit entries exported from the fake in one 50,000-row page (STACK's per-response maximum) by a client in a separate
 * JVM whose heap is smaller than that page, then verified locally from the file it wrote. A client that held the
 * page, or the entries, in memory would fail with OutOfMemoryError.
 */
class AuditExportMemoryTest {
    static final TestClock CLOCK = TestClock.create();
    static final int ENTRIES = 50_000;
    static final String HEAP = "-Xmx24m";
    static final long HEAP_BYTES = 24L * 1024 * 1024;

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    @Test
    void fiftyThousandEntriesStreamThroughASmallHeapAndATamperedOneIsNamed(FakeControlPlane fake, @TempDir Path dir)
            throws Exception {
        String agent = fake.seed().agent("busy-bot");
        new AuditFixtures(fake, agent).append(ENTRIES - 1);
        int total = fake.auditLog().entries().size();
        assertThat(total).isGreaterThanOrEqualTo(ENTRIES);

        String clean = runClient(fake, dir.resolve("clean.csv"));
        assertThat(clean).startsWith("written=" + total + " valid=true checked=" + total + " firstBad=null");
        assertThat(fake.journal().count("GET", "/v1/audit/export")).isEqualTo(1);
        assertThat(firstPageBytes(fake)).isGreaterThan(HEAP_BYTES);

        String victim = fake.auditLog().entries().get(31_337).entryId();
        fake.auditLog().tamperForTest().editAction(31_337, "credential.forged");
        String tampered = runClient(fake, dir.resolve("tampered.csv"));
        assertThat(tampered).startsWith("written=" + total + " valid=false checked=31338 firstBad=" + victim);
    }

    /** The size of the page the client read, counted as it streams past (the body is not held). */
    private static long firstPageBytes(FakeControlPlane fake) throws IOException {
        Request request = new Request.Builder()
                .url(fake.baseUrl() + "/v1/audit/export?format=ndjson")
                .header("Authorization", "Bearer " + fake.operatorApiKey())
                .build();
        try (Response response = new OkHttpClient().newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.header("X-Next-Cursor")).isNull();
            long n = 0;
            try (InputStream in = response.body().byteStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int r; (r = in.read(buf)) != -1; ) {
                    n += r;
                }
            }
            return n;
        }
    }

    private static String runClient(FakeControlPlane fake, Path out) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(
                        java,
                        HEAP,
                        "-cp",
                        cp,
                        ExportMain.class.getName(),
                        fake.baseUrl(),
                        fake.operatorApiKey(),
                        out.toString()))
                .redirectErrorStream(true)
                .start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8).trim();
        assertThat(p.exitValue()).as(text).isZero();
        String[] lines = text.split("\n");
        return lines[lines.length - 1];
    }
}
