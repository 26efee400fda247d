package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import run.getstack.sdk.audit.StackAuditException;

/**
 * Internal, not for public use. The recovery scan of a {@link Spool} directory when it is opened: reads {@code ACK},
 * checks every segment record by record, cuts a torn last record (and only that) and finds the chain head. The rules
 * are {@link Spool}'s: only the LAST record of the newest segment can be torn (a header shorter than 24 bytes at the
 * end, a record running past the end of the file, a record whose checksum fails and that ends exactly at the end of
 * the file, or a tail of zero bytes), and never when a valid record follows it; any other damage, a sequence gap or a
 * bad magic is corruption, and the scan fails without touching anything.
 */
final class SpoolRecovery {
    private static final byte[] MAGIC = SpoolFormat.MAGIC;
    private static final int HEADER = SpoolFormat.HEADER;
    private static final int MAX_PAYLOAD = SpoolFormat.MAX_PAYLOAD;
    private static final int EVENT_ID_OFFSET = SpoolFormat.EVENT_ID_OFFSET;
    private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.log");
    private static final Pattern ACK_LINE = Pattern.compile("(\\d{1,19}) ([0-9a-f]{64})\n");

    private final Path dir;
    private final Spool.ChannelOpener files;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer header = ByteBuffer.allocate(HEADER);

    /** The segments kept, by first seq, with their sizes and last seqs. */
    final TreeMap<Long, Spool.Segment> segments = new TreeMap<>();

    long totalBytes;
    long lastSeq;
    String lastHash = ClientChain.GENESIS;
    long ackedSeq;
    String ackedHash = ClientChain.GENESIS;
    Spool.Recovery report = new Spool.Recovery(0, 0, 0, 0, null);

    private SpoolRecovery(Path dir, Spool.ChannelOpener files) {
        this.dir = dir;
        this.files = files;
    }

    /**
     * Scans (and, for a torn tail, repairs) the spool in {@code dir}.
     *
     * @param dir the directory (its lock held by the caller)
     * @param files how to open segment files
     * @return what it found
     * @throws IOException on a read failure
     * @throws StackAuditException if the spool is corrupt (nothing touched)
     */
    static SpoolRecovery scan(Path dir, Spool.ChannelOpener files) throws IOException {
        SpoolRecovery r = new SpoolRecovery(dir, files);
        r.recover();
        return r;
    }

    private void recover() throws IOException {
        readAck();
        List<Spool.Segment> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "segment-*.log")) {
            for (Path p : ds) {
                Matcher m = SEGMENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    found.add(new Spool.Segment(p, Long.parseLong(m.group(1))));
                }
            }
        }
        found.sort((a, b) -> Long.compare(a.firstSeq, b.firstSeq));
        long torn = 0;
        long tornBytes = 0;
        String tornDetail = null;
        long expected = -1;
        for (int i = 0; i < found.size(); i++) {
            Spool.Segment seg = found.get(i);
            boolean newest = i == found.size() - 1;
            if (expected != -1 && seg.firstSeq != expected) {
                throw corrupt(seg.path, 0, "expected it to start at client_seq " + expected);
            }
            try (FileChannel ch = files.open(seg.path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long end = scan(seg, ch, size, newest);
                if (end < size) {
                    tornDetail = seg.path.getFileName() + " at byte " + end + " (" + (size - end) + " bytes)";
                    torn = 1;
                    tornBytes = size - end;
                    ch.truncate(end);
                    if (end < MAGIC.length) {
                        ch.position(0);
                        ch.write(ByteBuffer.wrap(MAGIC));
                        end = MAGIC.length;
                    }
                    ch.force(true);
                }
                seg.size = end;
                seg.flushedSize = end;
            }
            if (seg.lastSeq == 0) {
                if (!newest) {
                    throw corrupt(seg.path, MAGIC.length, "empty segment before the newest one");
                }
                // an empty newest segment (created just before a crash): kept, its name fixes the next seq
                expected = seg.firstSeq;
            } else {
                expected = seg.lastSeq + 1;
            }
            segments.put(seg.firstSeq, seg);
            totalBytes += seg.size;
        }
        if (!segments.isEmpty()) {
            Spool.Segment newest = segments.lastEntry().getValue();
            if (newest.lastSeq == 0) {
                // no record survived in the newest segment: the head is the previous record (or ACK)
                lastSeq = newest.firstSeq - 1;
            }
        }
        if (lastSeq < ackedSeq) {
            lastSeq = ackedSeq;
            lastHash = ackedHash;
        } else if (lastSeq > 0 && lastSeq == ackedSeq && lastHash.equals(ClientChain.GENESIS)) {
            lastHash = ackedHash;
        }
        if (lastSeq > 0 && lastHash.equals(ClientChain.GENESIS)) {
            throw new StackAuditException(
                    "audit spool " + dir + " has lost the hash of client_seq " + lastSeq
                            + " (no record and no ACK holds it); nothing was deleted",
                    null);
        }
        if (!segments.isEmpty()) {
            Spool.Segment newest = segments.lastEntry().getValue();
            if (newest.lastSeq == 0 && lastSeq + 1 != newest.firstSeq) {
                throw corrupt(newest.path, 0, "empty segment does not continue the chain at " + (lastSeq + 1));
            }
        }
        long firstKept = segments.isEmpty() ? lastSeq + 1 : segments.firstKey();
        long unacked = Math.max(0, lastSeq - Math.max(ackedSeq, firstKept - 1));
        report = new Spool.Recovery(segments.size(), unacked, torn, tornBytes, tornDetail);
    }

    /** Scans a segment; returns where its valid content ends (the size unless the tail is torn). */
    private long scan(Spool.Segment seg, FileChannel ch, long size, boolean newest) throws IOException {
        if (size < MAGIC.length) {
            if (!newest) {
                throw corrupt(seg.path, 0, "shorter than its header");
            }
            return 0;
        }
        ByteBuffer magic = ByteBuffer.allocate(MAGIC.length);
        SpoolFormat.readFully(ch, magic, 0);
        if (!Arrays.equals(magic.array(), MAGIC)) {
            throw corrupt(seg.path, 0, "not an audit spool segment (bad magic)");
        }
        long offset = MAGIC.length;
        long expected = seg.firstSeq;
        while (offset < size) {
            String problem = null;
            boolean tornShape = false; // damage a crash during the last write can leave: only at the very end
            byte[] payload = null;
            long seq = 0;
            if (size - offset < HEADER) {
                problem = "incomplete record header";
                tornShape = true;
            } else {
                header.clear();
                SpoolFormat.readFully(ch, header, offset);
                header.flip();
                int len = header.getInt();
                int sum = header.getInt();
                seq = header.getLong();
                long ts = header.getLong();
                if (!lengthInRange(len)) {
                    problem = "record length " + len + " out of range";
                    tornShape = allZero(ch, offset, size); // the file grew but its data never reached the disk
                } else if (offset + HEADER + len > size) {
                    problem = "incomplete record";
                    tornShape = true;
                } else {
                    ByteBuffer p = ByteBuffer.allocate(len);
                    SpoolFormat.readFully(ch, p, offset + HEADER);
                    payload = p.array();
                    if (SpoolFormat.checksum(crc, seq, ts, payload, 0, len) != sum) {
                        problem = "checksum mismatch";
                        tornShape = offset + HEADER + len == size;
                    }
                }
            }
            if (problem != null) {
                // a torn write is cut only when it is the last record; damage with valid records after it is
                // corruption: cutting there would silently drop those events and reuse their sequence numbers
                if (!newest || !tornShape || validRecordFollows(ch, offset, size, expected)) {
                    throw corrupt(seg.path, offset, problem + (newest ? " (not a torn last record)" : ""));
                }
                return offset;
            }
            if (seq != expected) {
                throw corrupt(seg.path, offset, "client_seq " + seq + " where " + expected + " was expected");
            }
            byte[] pl = java.util.Objects.requireNonNull(payload);
            lastSeq = seq;
            lastHash = SpoolFormat.hashOf(pl, pl.length);
            seg.lastSeq = seq;
            expected++;
            offset += HEADER + pl.length;
        }
        return offset;
    }

    private static boolean lengthInRange(int len) {
        return len >= EVENT_ID_OFFSET + 36 + 68 && len <= MAX_PAYLOAD;
    }

    private static boolean allZero(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8192);
        long pos = from;
        while (pos < size) {
            b.clear();
            b.limit((int) Math.min(b.capacity(), size - pos));
            SpoolFormat.readFully(ch, b, pos);
            for (int i = 0; i < b.limit(); i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            pos += b.limit();
        }
        return true;
    }

    /**
     * Whether a whole, checksum-valid record with a later client_seq starts anywhere after {@code offset}: then the
     * damage at {@code offset} is not a torn last write. Only called where the rest of the file is at most one record
     * long (or all zeros), so the tail read is bounded.
     */
    private boolean validRecordFollows(FileChannel ch, long offset, long size, long expected) throws IOException {
        long tail = size - offset;
        if (tail <= HEADER) {
            return false;
        }
        if (tail > HEADER + MAX_PAYLOAD) {
            return true; // more than one record's worth of bytes cannot be a single torn write
        }
        ByteBuffer b = ByteBuffer.allocate((int) tail);
        SpoolFormat.readFully(ch, b, offset);
        byte[] t = b.array();
        for (int i = 1; i + HEADER <= t.length; i++) {
            long seq = b.getLong(i + 8);
            if (seq <= expected || seq > expected + t.length / HEADER) {
                continue;
            }
            int len = b.getInt(i);
            if (!lengthInRange(len) || i + HEADER + len > t.length) {
                continue;
            }
            if (SpoolFormat.checksum(crc, seq, b.getLong(i + 16), t, i + HEADER, len) == b.getInt(i + 4)) {
                return true;
            }
        }
        return false;
    }

    private StackAuditException corrupt(Path p, long offset, String what) {
        return new StackAuditException(
                "audit spool segment " + p.getFileName() + " in " + dir + " is corrupt at byte " + offset + ": " + what
                        + "; nothing was deleted (move the directory aside to start a new chain)",
                null);
    }

    private void readAck() throws IOException {
        Path ack = dir.resolve("ACK");
        if (!Files.exists(ack)) {
            return;
        }
        byte[] b = Files.readAllBytes(ack);
        String s = new String(b, StandardCharsets.US_ASCII);
        Matcher m = ACK_LINE.matcher(s);
        if (b.length > 100 || !m.matches()) {
            throw new StackAuditException("audit spool file " + ack + " is corrupt; nothing was deleted", null);
        }
        ackedSeq = Long.parseLong(m.group(1));
        ackedHash = m.group(2);
    }
}
