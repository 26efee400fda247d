package run.getstack.sdk.auditlog;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import run.getstack.sdk.StackClient;

/**
 * Run in a separate JVM with a small heap by {@link AuditExportMemoryTest}: streams the whole export to a file and
 * verifies the file locally. Prints one line: {@code written=<n> valid=<b> checked=<n> firstBad=<id>}.
 */
public final class ExportMain {
    private ExportMain() {}

    /**
     * Entry point.
     *
     * @param args base URL, API key, output file
     * @throws Exception on any failure (the exit code is then non-zero)
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[2]);
        long written;
        try (StackClient client =
                        StackClient.builder().baseUrl(args[0]).apiKey(args[1]).build();
                AuditExport export =
                        client.auditLog().export(AuditExportRequest.all().format(ExportFormat.NDJSON));
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            written = export.writeTo(out, ExportFormat.CSV);
        }
        ChainVerification v;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            v = AuditChainVerifier.verify(in, ExportFormat.CSV);
        }
        System.out.println("written=" + written + " valid=" + v.valid() + " checked=" + v.checked() + " firstBad="
                + v.firstBadEntryId() + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
