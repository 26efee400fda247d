package run.getstack.sdk.testkit.internal.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedFileErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aMalformedSeedFileIsReportedByKindAndPlaceWithoutItsContent() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, "{\n  \"api_key\": sk_live_op_unquoted_secret_value\n}");
        assertThatThrownBy(() -> StandaloneMain.readSeed(seed))
                .isInstanceOf(StandaloneMain.UsageException.class)
                .hasMessageContaining("syntax error at line 2, column")
                .hasMessageNotContaining("sk_live_op_unquoted")
                .hasMessageNotContaining("unquoted_secret");
    }

    @Test
    void aTruncatedSeedFileSaysSoWithoutItsContent() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, "{\"api_key\": \"sk_live_op_truncated_secret");
        assertThatThrownBy(() -> StandaloneMain.readSeed(seed))
                .isInstanceOf(StandaloneMain.UsageException.class)
                .hasMessageContaining("line 1")
                .hasMessageNotContaining("truncated_secret");
    }

    @Test
    void theStackV1OnlyFlagIsParsed() throws Exception {
        assertThat(StandaloneMain.parse(new String[] {"--stack-v1-only"}).stackV1Only)
                .isTrue();
        assertThat(StandaloneMain.parse(new String[] {}).stackV1Only).isFalse();
        assertThat(StandaloneMain.usage()).contains("--stack-v1-only");
    }
}
