package run.getstack.sdk.auditlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import run.getstack.sdk.ApiTestSupport;
import run.getstack.sdk.StackAuthenticationException;
import run.getstack.sdk.StackClient;
import run.getstack.sdk.StackMalformedResponseException;
import run.getstack.sdk.testkit.FakeControlPlane;
import run.getstack.sdk.testkit.junit5.FakeControlPlaneExtension;
import run.getstack.sdk.testkit.time.TestClock;

/**
 * The streamed export and the local chain verifier, over the fake's chain and its {@code GET /v1/audit/export} in
 * pages of 7 rows.
 */
class AuditExportTest {
    static final TestClock CLOCK = TestClock.create();

    @RegisterExtension
    static final FakeControlPlaneExtension STACK =
            FakeControlPlaneExtension.perClass().configure(b -> b.clock(CLOCK));

    private FakeControlPlane fake;
    private StackClient client;

    @BeforeEach
    void setUp(FakeControlPlane fake) throws Exception {
        this.fake = fake;
        String agent = fake.seed().agent("exported-bot");
        AuditFixtures rows = new AuditFixtures(fake, agent);
        for (int i = 0; i < 4; i++) {
            rows.append(10);
            CLOCK.advance(Duration.ofSeconds(1));
        }
        fake.auditLog().exportPageSize(7);
        fake.journal().clear();
        client = ApiTestSupport.client(fake, CLOCK).build();
    }

    @AfterEach
    void close() {
        client.close();
        fake.faults().clear();
    }

    private int pages() {
        return fake.journal().count("GET", "/v1/audit/export");
    }

    private List<String> fakeIds() {
        return fake.auditLog().entries().stream()
                .map(run.getstack.sdk.testkit.AuditEntry::entryId)
                .toList();
    }

    private static List<AuditEntry> drain(AuditExport export) {
        List<AuditEntry> out = new ArrayList<>();
        export.forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void everyFormatStreamsTheWholeChainPageByPage(ExportFormat format) {
        List<AuditEntry> all;
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().format(format))) {
            assertThat(pages()).isZero();
            all = drain(export);
        }

        assertThat(all).extracting(AuditEntry::entryId).containsExactlyElementsOf(fakeIds());
        int n = fakeIds().size();
        assertThat(pages()).isEqualTo((n + 6) / 7);
        assertThat(AuditChainVerifier.verify(all.iterator()).valid()).isTrue();
        assertThat(AuditChainVerifier.verify(all.iterator()).checked()).isEqualTo(n);
        if (format != ExportFormat.CSV) {
            assertThat(all.get(n - 1).clientJson()).contains("\"client_seq\":40");
        }
    }

    @Test
    void aTimeRangeIsSentAndHonoured() {
        Instant from = CLOCK.instant().minusSeconds(3);
        Instant to = CLOCK.instant().minusSeconds(1);
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().range(from, to))) {
            List<AuditEntry> part = drain(export);
            assertThat(part).hasSize(20);
            assertThat(AuditChainVerifier.verify(part.iterator()).valid()).isFalse();
            AuditChainVerifier partial = AuditChainVerifier.fromAnyEntry();
            part.forEach(partial::accept);
            assertThat(partial.result().valid()).isTrue();
        }
        assertThatThrownBy(() -> AuditExportRequest.all().range(to, from)).hasMessageStartingWith("to:");
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void anExportResumesFromItsCheckpoint(ExportFormat format) {
        List<AuditEntry> first = new ArrayList<>();
        ExportCheckpoint cp;
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().format(format))) {
            for (int i = 0; i < 10; i++) {
                first.add(export.next());
            }
            cp = export.checkpoint();
        }
        assertThat(cp.cursor()).isEqualTo("c_7");
        assertThat(cp.lastEntryId()).isEqualTo(first.get(9).entryId());

        List<AuditEntry> rest;
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().format(format).resumeFrom(cp))) {
            rest = drain(export);
        }

        List<String> ids = new ArrayList<>();
        first.forEach(e -> ids.add(e.entryId()));
        rest.forEach(e -> ids.add(e.entryId()));
        assertThat(ids).containsExactlyElementsOf(fakeIds());
    }

    @Test
    void aDownloadCutShortFailsTypedAndResumesFromTheCheckpoint() {
        List<AuditEntry> before = new ArrayList<>();
        ExportCheckpoint cp;
        try (AuditExport export = client.auditLog().export(AuditExportRequest.all())) {
            for (int i = 0; i < 14; i++) {
                before.add(export.next()); // two whole pages
            }
            assertThat(pages()).isEqualTo(2);
            fake.faults()
                    .on("GET", "/v1/audit/export")
                    .disconnectDuringResponseBody()
                    .times(1);
            assertThatThrownBy(() -> export.forEachRemaining(before::add))
                    .isInstanceOf(StackMalformedResponseException.class)
                    .hasMessageContaining("cut short");
            cp = export.checkpoint();
        }
        assertThat(before.size()).isBetween(14, 20); // the third page broke off after 0 to 6 entries
        assertThat(cp.cursor()).isEqualTo("c_14");
        assertThat(fake.journal().last().query()).contains("cursor=c_14");
        assertThat(cp.lastEntryId())
                .isEqualTo(
                        before.size() == 14
                                ? null
                                : before.get(before.size() - 1).entryId());

        List<AuditEntry> after;
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().resumeFrom(cp))) {
            after = drain(export);
        }

        List<String> ids = new ArrayList<>();
        before.forEach(e -> ids.add(e.entryId()));
        after.forEach(e -> ids.add(e.entryId()));
        assertThat(ids).containsExactlyElementsOf(fakeIds());
    }

    @Test
    void aCheckpointWhoseEntryIsNotOnItsPageIsRefused() {
        ExportCheckpoint bogus = new ExportCheckpoint("c_7", "aud_not_there");
        try (AuditExport export =
                client.auditLog().export(AuditExportRequest.all().resumeFrom(bogus))) {
            assertThatThrownBy(export::hasNext)
                    .isInstanceOf(StackMalformedResponseException.class)
                    .hasMessageContaining("checkpoint");
        }
    }

    @ParameterizedTest
    @EnumSource(ExportFormat.class)
    void anExportWrittenToAFileVerifiesLocally(ExportFormat format) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        long n;
        try (AuditExport export = client.auditLog().export(AuditExportRequest.all())) {
            n = export.writeTo(file, format);
        }

        ChainVerification v = AuditChainVerifier.verify(new ByteArrayInputStream(file.toByteArray()), format);

        assertThat(n).isEqualTo(fakeIds().size());
        assertThat(v.valid()).isTrue();
        assertThat(v.checked()).isEqualTo(n);
    }

    @Test
    void aTamperedEntryIsNamedByTheLocalVerifierAsByTheServer() {
        String victim = fakeIds().get(17);
        fake.auditLog().tamperForTest().editAction(17, "passport.forged");

        ChainVerification local;
        try (AuditExport export = client.auditLog().export(AuditExportRequest.all())) {
            local = AuditChainVerifier.verify(export);
        }

        assertThat(local.valid()).isFalse();
        assertThat(local.firstBadEntryId()).isEqualTo(victim);
        assertThat(local.reason()).isEqualTo(ChainVerification.Reason.HASH_MISMATCH);
        assertThat(local.checked()).isEqualTo(18);
        assertThat(fake.auditLog().verifyChain().firstBadEntryId()).isEqualTo(victim);
    }

    @Test
    void aRemovedEntryBreaksTheLinkOfTheOneAfterIt() {
        String after = fakeIds().get(21);
        fake.auditLog().tamperForTest().remove(20);

        try (AuditExport export = client.auditLog().export(AuditExportRequest.all())) {
            ChainVerification v = AuditChainVerifier.verify(export);
            assertThat(v.firstBadEntryId()).isEqualTo(after);
            assertThat(v.reason()).isEqualTo(ChainVerification.Reason.PREV_HASH_MISMATCH);
        }
    }

    @Test
    void anEditedLineInAnExportedFileIsNamed() {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        try (AuditExport export = client.auditLog().export(AuditExportRequest.all())) {
            export.writeTo(file, ExportFormat.NDJSON);
        }
        String[] lines = file.toString(StandardCharsets.UTF_8).split("\n");
        String victim = fakeIds().get(30);
        assertThat(lines[30]).contains(victim).contains("\"outcome\":\"success\"");
        lines[30] = lines[30].replace("\"outcome\":\"success\"", "\"outcome\":\"blocked\"");
        byte[] tampered = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

        ChainVerification v = AuditChainVerifier.verify(new ByteArrayInputStream(tampered), ExportFormat.NDJSON);

        assertThat(v.firstBadEntryId()).isEqualTo(victim);
        assertThat(v.checked()).isEqualTo(31);
    }

    @Test
    void aFileThatIsNotAnExportIsRefusedNamingTheEntry() {
        byte[] junk = "{\"entry_id\":\"aud_1\"}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> AuditChainVerifier.verify(new ByteArrayInputStream(junk), ExportFormat.NDJSON))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("in: entry 1");
    }

    @Test
    void aPageOfTheWrongMediaTypeIsAMalformedResponse() throws Exception {
        // the fake always answers a correct media type: a page of HTML needs a hostile server
        try (MockWebServer html = new MockWebServer()) {
            html.enqueue(new MockResponse.Builder()
                    .code(200)
                    .setHeader("Content-Type", "text/html")
                    .body("<html>export</html>")
                    .build());
            html.start();
            try (StackClient odd = ApiTestSupport.client(fake, CLOCK)
                            .baseUrl(html.url("/").toString())
                            .build();
                    AuditExport export = odd.auditLog().export(AuditExportRequest.all())) {
                assertThatThrownBy(export::hasNext)
                        .isInstanceOf(StackMalformedResponseException.class)
                        .hasMessageContaining("Content-Type");
            }
            assertThat(html.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/audit/export");
        }
    }

    @Test
    void aWrongKeyIsRefused() {
        try (StackClient wrong = ApiTestSupport.client(fake, CLOCK)
                        .apiKey("sk_live_wrong")
                        .build();
                AuditExport export = wrong.auditLog().export(AuditExportRequest.all())) {
            assertThatThrownBy(export::hasNext).isInstanceOf(StackAuthenticationException.class);
        }
    }
}
