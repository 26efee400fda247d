package run.getstack.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log scan of {@link LogLeakCheck} sees what the SDK's loggers write, and recognises secrets. */
class LogLeakCheckTest {
    private static final Logger LOG = LoggerFactory.getLogger("run.getstack.sdk.LogLeakCheckTest");

    @Test
    void theModulesLogLinesGoToTheScannedFileAndASecretInThemIsFound() throws Exception {
        Path f = LogLeakCheck.logFile();
        assertThat(f).as("surefire sets org.slf4j.simpleLogger.logFile").isNotNull();
        long offset = Files.exists(f) ? Files.size(f) : 0;
        String canary = "canary-" + UUID.randomUUID();
        LOG.debug("a debug line with {}", canary);
        LOG.debug("a clean line");
        assertThat(LogLeakCheck.scan(f, offset, Set.of(canary)))
                .singleElement()
                .asString()
                .contains("[REDACTED]")
                .doesNotContain(canary);
        assertThat(LogLeakCheck.scan(f, offset, Set.of())).isEmpty();
    }

    @Test
    void rawLeaseIdsAndTokensAreRecognisedByTheirShape() {
        assertThat(LogLeakCheck.redact("released lse_0123456789abcdefghijklmnopqrstuv ok", Set.of()))
                .isEqualTo("released [REDACTED] ok");
        assertThat(LogLeakCheck.redact("token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhZ3RfMSJ9.c2lnbmF0dXJlc2ln", Set.of()))
                .isEqualTo("token [REDACTED]");
        assertThat(LogLeakCheck.redact("lease 1a2b3c4d renewed", Set.of())).isEqualTo("lease 1a2b3c4d renewed");
    }
}
