package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. The read path of a {@link Spool}: reads its records back in {@code client_seq} order
 * for delivery and replay (and the oldest unanswered one for the stats), checking each record's bounds and checksum,
 * and remembers where the last delivery read ended so the next batch starts there instead of scanning its segment from
 * the magic. A segment's read channel is opened on first use and kept in the segment (the spool closes it when it
 * deletes the segment or closes).
 *
 * <p>Not thread-safe on its own: the spool calls it under its lock, over the spool's own map of segments.
 */
final class SpoolReader {
    private static final int MAGIC_LENGTH = SpoolFormat.MAGIC.length;
    private static final int HEADER = SpoolFormat.HEADER;
    private static final int MAX_PAYLOAD = SpoolFormat.MAX_PAYLOAD;

    private final NavigableMap<Long, Spool.Segment> segments;
    private final Spool.ChannelOpener files;
    private final CRC32C crc = new CRC32C();
    private long cursorSeq = -1;
    private Spool.@Nullable Segment cursorSegment;
    private long cursorOffset;

    /**
     * Reads over {@code segments}.
     *
     * @param segments the spool's segments by first seq (the spool's own map, guarded by its lock)
     * @param files how to open segment files
     */
    SpoolReader(NavigableMap<Long, Spool.Segment> segments, Spool.ChannelOpener files) {
        this.segments = segments;
        this.files = files;
    }

    /**
     * Reads records from {@code fromSeq} on, in order, up to {@code readable}.
     *
     * @param fromSeq the first seq wanted
     * @param readable the last seq that may be handed out
     * @param maxEvents at most this many
     * @param maxBytes at most this many payload bytes plus one per record (the comma)
     * @param moveCursor whether the next read from where this one ends starts without a scan (the sender's reads)
     * @return the records (empty if none is readable yet)
     * @throws IOException on a read failure, a bad record or a checksum mismatch
     */
    List<Spool.SpooledEvent> read(long fromSeq, long readable, int maxEvents, int maxBytes, boolean moveCursor)
            throws IOException {
        List<Spool.SpooledEvent> out = new ArrayList<>();
        if (fromSeq > readable || segments.isEmpty()) {
            return out;
        }
        Spool.Segment seg;
        long offset;
        long seq;
        Spool.Segment cs = cursorSegment;
        if (cursorSeq == fromSeq && cs != null && segments.get(cs.firstSeq) == cs) {
            seg = cs;
            offset = cursorOffset;
            seq = fromSeq;
        } else {
            Map.Entry<Long, Spool.Segment> e = segments.floorEntry(fromSeq);
            seg = e != null ? e.getValue() : segments.firstEntry().getValue();
            offset = MAGIC_LENGTH;
            seq = seg.firstSeq;
        }
        int bytes = 0;
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        while (out.size() < maxEvents && seq <= readable) {
            if (offset >= seg.flushedSize) {
                Map.Entry<Long, Spool.Segment> next = segments.higherEntry(seg.firstSeq);
                if (next == null) {
                    break;
                }
                seg = next.getValue();
                offset = MAGIC_LENGTH;
                continue;
            }
            FileChannel r = channel(seg);
            h.clear();
            SpoolFormat.readFully(r, h, offset);
            h.flip();
            int len = h.getInt();
            int sum = h.getInt();
            long rs = h.getLong();
            long ts = h.getLong();
            if (len <= 0 || len > MAX_PAYLOAD || offset + HEADER + len > seg.flushedSize) {
                throw new IOException("audit spool record at " + seg.path.getFileName() + ":" + offset + " is bad");
            }
            if (rs > readable) {
                break;
            }
            if (rs < fromSeq) {
                offset += HEADER + len;
                seq = rs + 1;
                continue;
            }
            if (!out.isEmpty() && bytes + len + 1 > maxBytes) {
                break;
            }
            ByteBuffer p = ByteBuffer.allocate(len);
            SpoolFormat.readFully(r, p, offset + HEADER);
            byte[] payload = p.array();
            if (SpoolFormat.checksum(crc, rs, ts, payload, 0, len) != sum) {
                throw new IOException("audit spool record " + rs + " fails its checksum on read");
            }
            out.add(new Spool.SpooledEvent(rs, ts, SpoolFormat.eventIdOf(payload), payload));
            bytes += len + 1;
            offset += HEADER + len;
            seq = rs + 1;
        }
        if (moveCursor) {
            cursorSeq = seq;
            cursorSegment = seg;
            cursorOffset = offset;
        }
        return out;
    }

    private FileChannel channel(Spool.Segment seg) throws IOException {
        FileChannel r = seg.reader;
        if (r == null) {
            r = files.open(seg.path, StandardOpenOption.READ);
            seg.reader = r;
        }
        return r;
    }
}
