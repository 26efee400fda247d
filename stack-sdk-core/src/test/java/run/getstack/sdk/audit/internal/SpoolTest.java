package run.getstack.sdk.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.getstack.sdk.audit.StackAuditException;

class SpoolTest {
    static final long SEGMENT = 16 * 1024;

    @TempDir
    Path dir;

    static String id(long seq) {
        return String.format("00000000-0000-4000-8000-%012d", seq);
    }

    static String hash(long seq) {
        return String.format("%064x", seq * 7919);
    }

    static byte[] payload(long seq) {
        return ("{\"event_id\":\"" + id(seq) + "\",\"pad\":\"" + "p".repeat(150) + "\",\"client_hash\":\"" + hash(seq)
                        + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static void append(Spool s, long from, long to) throws IOException {
        for (long seq = from; seq <= to; seq++) {
            byte[] p = payload(seq);
            assertThat(s.append(seq, 1000 + seq, hash(seq), p, 0, p.length)).isTrue();
        }
        s.flushWrites();
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void recordsAreReadBackInOrderAcrossSegmentsAndAcknowledgedSegmentsAreDeleted() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 300);
            assertThat(segments().size()).isGreaterThan(3);
            List<Spool.SpooledEvent> all = s.read(1, 1000, Integer.MAX_VALUE);
            assertThat(all)
                    .extracting(Spool.SpooledEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 300)
                            .boxed()
                            .toList());
            assertThat(all.get(41).eventId()).isEqualTo(id(42));
            assertThat(all.get(41).timestamp()).isEqualTo(1042);
            assertThat(s.read(101, 10, Integer.MAX_VALUE))
                    .extracting(Spool.SpooledEvent::seq)
                    .startsWith(101L)
                    .hasSize(10);
            int before = segments().size();
            s.acknowledge(150, hash(150));
            assertThat(segments().size()).isLessThan(before);
            assertThat(s.read(s.ackedSeq() + 1, 1, Integer.MAX_VALUE).get(0).seq())
                    .isEqualTo(151);
            s.acknowledge(300, hash(300));
            assertThat(segments()).as("the newest segment is never deleted").hasSize(1);
        }
    }

    @Test
    void aReopenedSpoolContinuesTheChainAndKnowsWhatIsUnacknowledged() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true)) {
            append(s, 1, 120);
            s.acknowledge(100, hash(100));
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true)) {
            assertThat(s.lastSeq()).isEqualTo(120);
            assertThat(s.lastHash()).isEqualTo(hash(120));
            assertThat(s.ackedSeq()).isEqualTo(100);
            assertThat(s.recovery().unacknowledged()).isEqualTo(20);
            assertThat(s.recovery().tornRecordsCut()).isZero();
            assertThat(s.read(101, 500, Integer.MAX_VALUE)).hasSize(20);
            append(s, 121, 121);
            assertThatThrownBy(() -> s.append(200, 1, hash(200), payload(200), 0, payload(200).length))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void whenEverySegmentIsAcknowledgedTheChainHeadComesFromTheAckFile() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 5);
            s.acknowledge(5, hash(5));
        }
        for (Path p : segments()) {
            Files.delete(p);
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(s.lastSeq()).isEqualTo(5);
            assertThat(s.lastHash()).isEqualTo(hash(5));
            append(s, 6, 6);
            assertThat(segments().get(0).getFileName().toString()).isEqualTo("segment-00000000000000000006.log");
        }
    }

    @Test
    void aRecordWithABadChecksumAtTheTailIsCutAndReported() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 10);
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(size - 30);
            f.write('X'); // a half-written last record: its checksum fails
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(s.recovery().tornRecordsCut()).isEqualTo(1);
            assertThat(s.recovery().tornDetail()).contains("segment-00000000000000000001.log");
            assertThat(s.lastSeq()).isEqualTo(9);
            assertThat(s.lastHash()).isEqualTo(hash(9));
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).hasSize(9);
        }
    }

    // Finding 2 of the independent review: a damaged record in the newest segment silently cut every later record.
    @Test
    void aDamagedRecordBeforeTheLastOneInTheNewestSegmentIsCorruptionAndNothingIsCut() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 10);
        }
        assertThat(segments()).hasSize(1);
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(300); // inside record 1's payload
            f.write(f.readByte() ^ 0x01);
        }
        byte[] damaged = Files.readAllBytes(seg);
        assertThatThrownBy(() -> Spool.open(dir, 100 * SEGMENT, SEGMENT, false))
                .isInstanceOf(StackAuditException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining(seg.getFileName().toString())
                .hasMessageContaining("nothing was deleted");
        assertThat(Files.readAllBytes(seg)).isEqualTo(damaged);
    }

    @Test
    void aDamagedLengthThatRunsPastTheEndIsCorruptionWhenValidRecordsFollow() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 10);
        }
        Path seg = segments().get(0);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.seek(8); // record 1's length: in range but past the end of the file
            f.writeInt(60_000);
        }
        byte[] damaged = Files.readAllBytes(seg);
        assertThatThrownBy(() -> Spool.open(dir, 100 * SEGMENT, SEGMENT, false))
                .isInstanceOf(StackAuditException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining("nothing was deleted");
        assertThat(Files.readAllBytes(seg)).isEqualTo(damaged);
    }

    @Test
    void anIncompleteLastRecordOrAZeroFilledTailIsCut() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 10);
        }
        Path seg = segments().get(0);
        long size = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(size - 40); // record 10 half written
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(s.recovery().tornRecordsCut()).isEqualTo(1);
            assertThat(s.lastSeq()).isEqualTo(9);
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).hasSize(9);
        }
        long kept = Files.size(seg);
        try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
            f.setLength(kept + 4096); // the file grew but its data never reached the disk: zeros
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(s.recovery().tornRecordsCut()).isEqualTo(1);
            assertThat(s.recovery().tornBytesCut()).isEqualTo(4096);
            assertThat(s.lastSeq()).isEqualTo(9);
            assertThat(s.lastHash()).isEqualTo(hash(9));
        }
        assertThat(Files.size(seg)).isEqualTo(kept);
    }

    @Test
    void damageBeforeTheTailIsCorruptionAndNothingIsTouched() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 300);
        }
        Path first = segments().get(0);
        byte[] before = Files.readAllBytes(first);
        try (RandomAccessFile f = new RandomAccessFile(first.toFile(), "rw")) {
            f.seek(100);
            f.write('X');
        }
        byte[] damaged = Files.readAllBytes(first);
        int count = segments().size();
        assertThatThrownBy(() -> Spool.open(dir, 100 * SEGMENT, SEGMENT, false))
                .isInstanceOf(StackAuditException.class)
                .hasMessageContaining("corrupt")
                .hasMessageContaining(first.getFileName().toString())
                .hasMessageContaining("nothing was deleted");
        assertThat(segments()).hasSize(count);
        assertThat(Files.readAllBytes(first)).isEqualTo(damaged).isNotEqualTo(before);
    }

    // Finding 6c of the independent review: the sender could deliver events before they were forced to disk.
    @Test
    void aDurableSpoolHandsOutOnlyRecordsForcedToDisk() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true)) {
            append(s, 1, 5);
            assertThat(s.flushedSeq()).isEqualTo(5);
            assertThat(s.readableSeq()).isZero();
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).isEmpty();
            assertThat(s.force()).isEqualTo(5);
            append(s, 6, 8);
            assertThat(s.readableSeq()).isEqualTo(5);
            assertThat(s.read(1, 100, Integer.MAX_VALUE))
                    .extracting(Spool.SpooledEvent::seq)
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(s.read(6, 100, Integer.MAX_VALUE)).isEmpty();
            s.force();
            assertThat(s.read(6, 100, Integer.MAX_VALUE))
                    .extracting(Spool.SpooledEvent::seq)
                    .containsExactly(6L, 7L, 8L);
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true)) {
            assertThat(s.readableSeq()).isEqualTo(8); // what survived a restart is on disk
        }
    }

    @Test
    void aSpoolWithoutDurabilityHandsOutWhatIsWritten() throws IOException {
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            append(s, 1, 3);
            assertThat(s.readableSeq()).isEqualTo(3);
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).hasSize(3);
        }
    }

    @Test
    void theDiskBudgetRefusesARecordThatWouldExceedIt() throws IOException {
        try (Spool s = Spool.open(dir, 2 * SEGMENT, SEGMENT, false)) {
            long seq = 0;
            while (true) {
                byte[] p = payload(seq + 1);
                if (!s.append(seq + 1, 1, hash(seq + 1), p, 0, p.length)) {
                    break;
                }
                seq++;
            }
            s.flushWrites();
            assertThat(s.totalBytes()).isLessThanOrEqualTo(2 * SEGMENT);
            long onDisk = 0;
            for (Path p : segments()) {
                onDisk += Files.size(p);
            }
            assertThat(onDisk).isEqualTo(s.totalBytes());
            s.acknowledge(seq, hash(seq));
            byte[] p = payload(seq + 1);
            assertThat(s.append(seq + 1, 1, hash(seq + 1), p, 0, p.length)).isTrue();
        }
    }

    @Test
    void oneSpoolPerDirectory() {
        try (Spool s = Spool.open(dir, 2 * SEGMENT, SEGMENT, false)) {
            assertThat(s.lastSeq()).isZero();
            assertThatThrownBy(() -> Spool.open(dir, 2 * SEGMENT, SEGMENT, false))
                    .isInstanceOf(StackAuditException.class)
                    .hasMessageContaining("in use by another writer");
        }
        try (Spool again = Spool.open(dir, 2 * SEGMENT, SEGMENT, false)) {
            assertThat(again.lastSeq()).isZero();
        }
    }

    // Finding 6a of the independent review: a write that failed partway left the buffer flipped, so the next flush
    // wrote the same bytes again (a corrupt segment) and records appended after the failure were lost.
    @Test
    void aWriteThatFailsPartwayKeepsEveryRecordForTheNextFlushAndLeavesNoDamage() throws IOException {
        FaultyFiles files = new FaultyFiles();
        try (Spool s = Spool.open(dir, 100 * SEGMENT, 100 * SEGMENT, false, files)) {
            for (long seq = 1; seq <= 10; seq++) {
                byte[] p = payload(seq);
                assertThat(s.append(seq, 1000 + seq, hash(seq), p, 0, p.length)).isTrue();
            }
            files.failWriteAfter = 300; // the file takes 300 bytes, then the disk is full
            assertThatThrownBy(s::flushWrites).isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(s.flushedSeq()).isZero();
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).isEmpty();
            append(s, 11, 20); // appends more, then flushes again: the disk has room again
            assertThat(s.read(1, 100, Integer.MAX_VALUE))
                    .extracting(Spool.SpooledEvent::seq)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, 20).boxed().toList());
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, 100 * SEGMENT, false)) {
            assertThat(s.recovery().tornRecordsCut()).isZero();
            assertThat(s.lastSeq()).isEqualTo(20);
            assertThat(s.lastHash()).isEqualTo(hash(20));
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).hasSize(20);
        }
    }

    @Test
    void aWriteThatFailsPartwayAndIsNeverRetriedLeavesOnlyATornTailThatRecoveryCuts() throws IOException {
        FaultyFiles files = new FaultyFiles();
        try (Spool s = Spool.open(dir, 100 * SEGMENT, 100 * SEGMENT, false, files)) {
            append(s, 1, 5);
            for (long seq = 6; seq <= 8; seq++) {
                byte[] p = payload(seq);
                assertThat(s.append(seq, 1000 + seq, hash(seq), p, 0, p.length)).isTrue();
            }
            files.failWriteAfter = 100;
            assertThatThrownBy(s::flushWrites).isInstanceOf(IOException.class);
            files.failWriteAfter = 0; // and the disk stays full through close
        }
        try (Spool s = Spool.open(dir, 100 * SEGMENT, 100 * SEGMENT, false)) {
            assertThat(s.lastSeq()).isEqualTo(5);
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).hasSize(5);
        }
    }

    // Finding 6b of the independent review: a force that failed on one rotated segment dropped the other rotated
    // channels from the spool's list, so nothing ever forced or closed them.
    @Test
    void aFailedForceOfARotatedSegmentLeaksNoChannel() throws IOException {
        FaultyFiles files = new FaultyFiles();
        Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true, files);
        try {
            append(s, 1, 300); // several rotations, none forced yet
            assertThat(segments().size()).isGreaterThan(3);
            files.failForces.set(1);
            assertThatThrownBy(s::force).isInstanceOf(IOException.class).hasMessageContaining("injected");
            assertThat(s.readableSeq()).as("nothing counts as on disk").isZero();
        } finally {
            s.close();
        }
        assertThat(files.stillOpen()).isEmpty();
    }

    @Test
    void afterAFailedForceNoLaterForceClaimsTheRecordsAreOnDisk() throws IOException {
        FaultyFiles files = new FaultyFiles();
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, true, files)) {
            append(s, 1, 10);
            files.failForces.set(1);
            assertThatThrownBy(s::force).isInstanceOf(IOException.class).hasMessageContaining("injected");
            // after a failed fsync the kernel may have dropped the dirty pages: a later fsync that succeeds proves
            // nothing, so the spool never again claims those records are on disk
            append(s, 11, 12);
            assertThatThrownBy(s::force).isInstanceOf(IOException.class).hasMessageContaining("an earlier fsync");
            assertThat(s.readableSeq()).isZero();
            assertThat(s.read(1, 100, Integer.MAX_VALUE)).isEmpty();
        }
    }

    @Test
    void aForceThatFailsOnCloseStillReleasesEveryChannelAndTheLock() throws IOException {
        FaultyFiles files = new FaultyFiles();
        Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false, files);
        append(s, 1, 300);
        files.failForces.set(100);
        s.close();
        assertThat(files.stillOpen()).isEmpty();
        try (Spool again = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(again.lastSeq()).isEqualTo(300);
        }
    }

    // review: a rotation whose new segment could not be written (disk full) left the file behind, so every later
    // rotation failed with FileAlreadyExistsException, and left the still-active channel listed as rotated, so the
    // next force closed it: the spool took no event again until the process restarted
    @Test
    void aRotationThatFailsToWriteItsHeaderIsRetriedOnceTheDiskHasRoomAgain() throws IOException {
        FaultyFiles files = new FaultyFiles();
        long failedAt;
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false, files)) {
            append(s, 1, 1);
            long seq = 2;
            while (true) {
                byte[] p = payload(seq);
                files.failWriteAfter = 0; // inside append only a rotation writes: the disk is full for it
                try {
                    assertThat(s.append(seq, 1000 + seq, hash(seq), p, 0, p.length))
                            .isTrue();
                } catch (IOException e) {
                    assertThat(e).hasMessageContaining("injected");
                    break;
                }
                files.failWriteAfter = -1;
                s.flushWrites();
                seq++;
            }
            failedAt = seq;
            files.failWriteAfter = -1; // room again
            assertThat(s.lastSeq()).isEqualTo(failedAt - 1);
            s.force();
            append(s, failedAt, failedAt + 20);
            s.force();
            assertThat(s.read(1, 1000, Integer.MAX_VALUE))
                    .extracting(Spool.SpooledEvent::seq)
                    .containsExactlyElementsOf(
                            LongStream.rangeClosed(1, failedAt + 20).boxed().toList());
        }
        assertThat(files.stillOpen()).isEmpty();
        try (Spool s = Spool.open(dir, 100 * SEGMENT, SEGMENT, false)) {
            assertThat(s.lastSeq()).isEqualTo(failedAt + 20);
            assertThat(s.read(1, 1000, Integer.MAX_VALUE)).hasSize((int) failedAt + 20);
        }
    }
}
