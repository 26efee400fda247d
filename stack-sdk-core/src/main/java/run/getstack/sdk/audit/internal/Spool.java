package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.audit.StackAuditException;

/**
 * Internal, not for public use. The audit writer's append-only spool: a directory of segment files {@code
 * segment-<first seq, 20 digits>.log}, each starting with an 8-byte magic and holding records {@code [u32 payload
 * length][u32 CRC-32C of seq, timestamp and payload][u64 client_seq][u64 timestamp ms][payload]} (big-endian), the
 * payload being the event's wire JSON; a file {@code ACK} ({@code "<seq> <hash>\n"}, replaced atomically) with the
 * last event the control plane answered; and a {@code LOCK} file held with an OS lock so that one writer at a time
 * owns the directory.
 *
 * <p><b>Recovery.</b> {@link #open} scans every segment ({@link SpoolRecovery}): a torn last record from a crash is
 * cut and reported, everything before it kept; any other damage is corruption and {@code open} fails without touching
 * anything. The chain head (last seq and hash) comes from the newest record, or from {@code ACK} when no record is
 * left, so the chain continues across restarts.
 *
 * <p><b>Deletion.</b> A segment is deleted only when every event in it is answered ({@link #acknowledge}) and it is
 * not the newest one. The disk budget counts every byte of every segment; {@link #append} refuses a record that would
 * exceed it.
 *
 * <p>Threads: one writer thread appends, flushes, rotates and forces; one sender reads ({@link SpoolReader}) and
 * acknowledges; both take the spool's lock for metadata, and {@link #force()} runs outside it.
 */
public final class Spool implements AutoCloseable {
    private static final byte[] MAGIC = SpoolFormat.MAGIC;
    private static final int HEADER = SpoolFormat.HEADER;
    private static final int MAX_PAYLOAD = SpoolFormat.MAX_PAYLOAD;

    /**
     * One record read back.
     *
     * @param seq the client sequence number
     * @param timestamp the event's timestamp (ms)
     * @param eventId the event id
     * @param payload the event's wire JSON
     */
    @SuppressWarnings("ArrayRecordComponent") // an internal carrier of spooled bytes, never compared or hashed
    public record SpooledEvent(long seq, long timestamp, String eventId, byte[] payload) {}

    /**
     * What {@link #open} found.
     *
     * @param segments segment files kept
     * @param unacknowledged events in them that the control plane has not answered
     * @param tornRecordsCut torn records cut from the tail (0 or 1)
     * @param tornBytesCut bytes cut
     * @param tornDetail where and why, for the log, or null
     */
    public record Recovery(
            int segments,
            long unacknowledged,
            long tornRecordsCut,
            long tornBytesCut,
            @Nullable String tornDetail) {}

    /** How the spool opens its segment files: the real file system, or, in tests, channels that fail on purpose. */
    @FunctionalInterface
    interface ChannelOpener {
        /**
         * Opens a file.
         *
         * @param path the file
         * @param options how
         * @return the channel
         * @throws IOException on failure
         */
        FileChannel open(Path path, OpenOption... options) throws IOException;
    }

    static final class Segment {
        final Path path;
        final long firstSeq;
        long lastSeq;
        long size;
        long flushedSize;

        @Nullable
        FileChannel reader;

        Segment(Path path, long firstSeq) {
            this.path = path;
            this.firstSeq = firstSeq;
        }
    }

    private final Path dir;
    private final long budgetBytes;
    private final long segmentBytes;
    private final boolean syncMetadata;
    private final ChannelOpener files;
    private final ReentrantLock lock = new ReentrantLock();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final ByteBuffer writeBuf = ByteBuffer.allocate(256 * 1024);
    private final CRC32C crc = new CRC32C();
    private @Nullable FileChannel activeChannel;
    private @Nullable Segment active;
    private long totalBytes;
    private long lastSeq;
    private String lastHash = ClientChain.GENESIS;
    private long flushedSeq;
    private long forcedSeq;
    private long ackedSeq;
    private final SpoolReader reader;
    private final List<FileChannel> rotatedUnforced = new ArrayList<>();
    private @Nullable IOException forceFailure;
    private long forces;
    private Recovery recovery = new Recovery(0, 0, 0, 0, null);
    private boolean closed;

    private Spool(
            Path dir,
            long budgetBytes,
            long segmentBytes,
            boolean syncMetadata,
            ChannelOpener files,
            FileChannel lc,
            FileLock fl) {
        this.dir = dir;
        this.files = files;
        this.budgetBytes = budgetBytes;
        this.segmentBytes = segmentBytes;
        this.syncMetadata = syncMetadata;
        this.reader = new SpoolReader(segments, files);
        this.lockChannel = lc;
        this.fileLock = fl;
    }

    /**
     * Opens (creating if needed) the spool in {@code dir}, takes its lock and recovers it.
     *
     * @param dir the directory
     * @param budgetBytes the disk budget
     * @param segmentBytes the rotation size
     * @param syncMetadata durability: whether to force directory entries and the ACK file, and whether {@link #read}
     *     hands out only records {@link #force() forced} to disk
     * @return the spool
     * @throws StackAuditException if the directory cannot be used, is locked by another writer, or is corrupt
     */
    public static Spool open(Path dir, long budgetBytes, long segmentBytes, boolean syncMetadata) {
        return open(dir, budgetBytes, segmentBytes, syncMetadata, FileChannel::open);
    }

    static Spool open(Path dir, long budgetBytes, long segmentBytes, boolean syncMetadata, ChannelOpener files) {
        FileChannel lc = null;
        try {
            Files.createDirectories(dir);
            lc = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fl;
            try {
                fl = lc.tryLock();
            } catch (OverlappingFileLockException e) {
                fl = null;
            }
            if (fl == null) {
                throw new StackAuditException(
                        "audit spool " + dir + " is in use by another writer (one writer per directory)", null);
            }
            Spool s = new Spool(dir, budgetBytes, segmentBytes, syncMetadata, files, lc, fl);
            try {
                s.recover();
            } catch (IOException | RuntimeException e) {
                s.closeQuietly();
                throw e;
            }
            return s;
        } catch (IOException e) {
            closeQuietly(lc);
            throw new StackAuditException(
                    "audit spool " + dir + " cannot be opened: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            closeQuietly(lc);
            throw e;
        }
    }

    private void recover() throws IOException {
        SpoolRecovery r = SpoolRecovery.scan(dir, files);
        segments.putAll(r.segments);
        totalBytes = r.totalBytes;
        lastSeq = r.lastSeq;
        lastHash = r.lastHash;
        ackedSeq = r.ackedSeq;
        recovery = r.report;
        flushedSeq = lastSeq;
        forcedSeq = lastSeq; // what an earlier process left is what reached the disk
        if (!segments.isEmpty()) {
            Segment newest = segments.lastEntry().getValue();
            active = newest;
            FileChannel ch = files.open(newest.path, StandardOpenOption.WRITE);
            ch.position(newest.size);
            if (syncMetadata) {
                ch.force(false); // what an earlier process wrote before it died counts as spooled from here on
            }
            activeChannel = ch;
        }
    }

    /**
     * Returns what {@link #open} found.
     *
     * @return the recovery report
     */
    public Recovery recovery() {
        return recovery;
    }

    /**
     * Returns the chain head: the last event's seq (0 for none).
     *
     * @return the seq
     */
    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the chain head's hash (genesis for none).
     *
     * @return 64 hex
     */
    public String lastHash() {
        lock.lock();
        try {
            return lastHash;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns how many {@link #force()} calls succeeded (for tests and diagnostics).
     *
     * @return the count
     */
    public long forces() {
        lock.lock();
        try {
            return forces;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the last event the control plane answered.
     *
     * @return the seq
     */
    public long ackedSeq() {
        lock.lock();
        try {
            return ackedSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the last event written to its file (readable by {@link #read} unless durable, see {@link #readableSeq()}).
     *
     * @return the seq
     */
    public long flushedSeq() {
        lock.lock();
        try {
            return flushedSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the last event {@link #read} hands out.
     *
     * @return the seq
     */
    public long readableSeq() {
        lock.lock();
        try {
            return readableLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the bytes used by segment files (including buffered ones).
     *
     * @return bytes
     */
    public long totalBytes() {
        lock.lock();
        try {
            return totalBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the first event of the spool that is not answered, by seq (for replay), with its timestamp.
     *
     * @return the timestamp of the oldest unanswered flushed event, or -1 if none
     */
    public long oldestUnackedTimestamp() {
        lock.lock();
        try {
            if (ackedSeq >= readableLocked()) {
                return -1;
            }
            List<SpooledEvent> r = reader.read(ackedSeq + 1, readableLocked(), 1, Integer.MAX_VALUE, false);
            return r.isEmpty() ? -1 : r.get(0).timestamp();
        } catch (IOException e) {
            return -1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends one record (buffered; {@link #flushWrites()} hands it to the file).
     *
     * @param seq must be {@link #lastSeq()} + 1
     * @param timestamp the event's timestamp
     * @param hash the event's client hash (the new chain head)
     * @param payload the wire JSON
     * @param off where it starts in {@code payload}
     * @param len its length
     * @return false if the disk budget has no room for it (nothing written)
     * @throws IOException on a write failure
     */
    public boolean append(long seq, long timestamp, String hash, byte[] payload, int off, int len) throws IOException {
        if (len > MAX_PAYLOAD) {
            throw new IllegalArgumentException("record too large: " + len);
        }
        lock.lock();
        try {
            ensureOpen();
            if (seq != lastSeq + 1) {
                throw new IllegalStateException("seq " + seq + " does not follow " + lastSeq);
            }
            int recordLen = HEADER + len;
            Segment a = active;
            boolean rotate = a == null || (a.lastSeq != 0 && a.size + recordLen > segmentBytes);
            long extra = (long) recordLen + (rotate ? MAGIC.length : 0);
            if (totalBytes + extra > budgetBytes) {
                return false;
            }
            if (a == null || rotate) {
                flushWritesLocked();
                a = rotateLocked(seq);
            }
            if (writeBuf.remaining() < recordLen) {
                flushWritesLocked();
            }
            if (writeBuf.remaining() < recordLen) {
                throw new IllegalStateException("record larger than the write buffer");
            }
            writeBuf.putInt(len);
            writeBuf.putInt(SpoolFormat.checksum(crc, seq, timestamp, payload, off, len));
            writeBuf.putLong(seq);
            writeBuf.putLong(timestamp);
            writeBuf.put(payload, off, len);
            a.size += recordLen;
            a.lastSeq = seq;
            totalBytes += recordLen;
            lastSeq = seq;
            lastHash = hash;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands buffered records to the file (the operating system), making them readable.
     *
     * @throws IOException on a write failure
     */
    public void flushWrites() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            flushWritesLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushWritesLocked() throws IOException {
        FileChannel ch = activeChannel;
        Segment a = active;
        if (writeBuf.position() == 0 || ch == null || a == null) {
            return;
        }
        int buffered = writeBuf.position();
        writeBuf.flip();
        long at = a.flushedSize; // where the buffer's first record starts in the file
        try {
            while (writeBuf.hasRemaining()) {
                at += ch.write(writeBuf, at);
            }
        } catch (IOException | RuntimeException e) {
            // nothing of the buffer counts as written: it keeps every record (and takes more), and the next flush
            // writes it again from the same offset, over the part that reached the file; a crash before that leaves
            // that part as a torn tail, which open() cuts
            writeBuf.limit(writeBuf.capacity());
            writeBuf.position(buffered);
            throw e;
        }
        writeBuf.clear();
        a.flushedSize = a.size;
        flushedSeq = lastSeq;
    }

    private Segment rotateLocked(long firstSeq) throws IOException {
        Path p = dir.resolve(String.format("segment-%020d.log", firstSeq));
        FileChannel ch =
                files.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            ByteBuffer magic = ByteBuffer.wrap(MAGIC);
            while (magic.hasRemaining()) {
                ch.write(magic);
            }
        } catch (IOException | RuntimeException e) {
            // nothing changes: the old segment stays active, and the half-made file goes so a later rotation can
            // create it again (it holds no record: the spool's lock keeps every other writer out)
            closeQuietly(ch);
            try {
                Files.deleteIfExists(p);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        FileChannel old = activeChannel;
        if (old != null) {
            rotatedUnforced.add(old);
        }
        Segment s = new Segment(p, firstSeq);
        s.size = MAGIC.length;
        s.flushedSize = MAGIC.length;
        segments.put(firstSeq, s);
        totalBytes += MAGIC.length;
        active = s;
        activeChannel = ch;
        if (syncMetadata) {
            ch.force(true);
            forceDirectory();
        }
        return s;
    }

    /**
     * Forces every written record to disk; returns the seq it covers. Runs outside the lock (one writer thread).
     *
     * @return the last seq now on disk
     * @throws IOException on failure
     */
    public long force() throws IOException {
        FileChannel ch;
        List<FileChannel> rotated;
        long covered;
        lock.lock();
        try {
            ensureOpen();
            IOException earlier = forceFailure;
            if (earlier != null) {
                throw new IOException(
                        "an earlier fsync of the audit spool failed (" + earlier.getMessage()
                                + "); what it covered may not be on disk",
                        earlier);
            }
            flushWritesLocked();
            ch = activeChannel;
            rotated = new ArrayList<>(rotatedUnforced); // stay listed (and closed by close()) until forced
            covered = flushedSeq;
        } finally {
            lock.unlock();
        }
        try {
            for (FileChannel r : rotated) {
                r.force(false);
            }
            if (ch != null) {
                ch.force(false);
            }
        } catch (IOException e) {
            // after a failed fsync the kernel may have dropped the dirty pages and a retry may "succeed" without
            // them: no later force may claim these records are on disk
            lock.lock();
            try {
                forceFailure = e;
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            for (FileChannel r : rotated) {
                rotatedUnforced.remove(r);
                closeQuietly(r); // forced: a failing close loses nothing
            }
            forcedSeq = Math.max(forcedSeq, covered);
            forces++;
        } finally {
            lock.unlock();
        }
        return covered;
    }

    /**
     * Reads records from {@code fromSeq} on, in order, up to {@link #readableSeq()}.
     *
     * @param fromSeq the first seq wanted
     * @param maxEvents at most this many
     * @param maxBytes at most this many payload bytes plus one per record (the comma)
     * @return the records (empty if none is flushed yet)
     * @throws IOException on a read failure or a checksum mismatch
     */
    public List<SpooledEvent> read(long fromSeq, int maxEvents, int maxBytes) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            return reader.read(fromSeq, readableLocked(), maxEvents, maxBytes, true);
        } finally {
            lock.unlock();
        }
    }

    /**
     * With durability ({@code syncMetadata}) only records forced to disk leave the spool: an event the control plane
     * accepted but a power loss then erased would have its seq reused by a different event (a fork of the chain).
     */
    private long readableLocked() {
        return syncMetadata ? forcedSeq : flushedSeq;
    }

    /**
     * Records that the control plane answered every event up to {@code seq}, persists it, and deletes the segments
     * that hold only answered events (never the newest).
     *
     * @param seq the last answered seq
     * @param hash its client hash
     * @throws IOException on failure
     */
    public void acknowledge(long seq, String hash) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            if (seq <= ackedSeq) {
                return;
            }
            ackedSeq = seq;
            Path tmp = dir.resolve("ACK.tmp");
            byte[] line = (seq + " " + hash + "\n").getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(line));
                if (syncMetadata) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, dir.resolve("ACK"), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("ACK"), StandardCopyOption.REPLACE_EXISTING);
            }
            boolean deleted = false;
            while (segments.size() > 1) {
                Segment first = segments.firstEntry().getValue();
                if (first == active || first.lastSeq == 0 || first.lastSeq > ackedSeq) {
                    break;
                }
                closeQuietly(first.reader);
                Files.deleteIfExists(first.path);
                segments.remove(first.firstSeq);
                totalBytes -= first.size;
                deleted = true;
            }
            // without metadata sync a crash may resurrect a deleted segment: replay sends it again as duplicates
            if (syncMetadata && deleted) {
                forceDirectory();
            }
        } finally {
            lock.unlock();
        }
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some platforms cannot open a directory; the file data itself was forced
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("audit spool is closed");
        }
    }

    /** Flushes and forces what is written, releases the files and the lock. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                flushWritesLocked();
                FileChannel ch = activeChannel;
                if (ch != null) {
                    ch.force(false);
                }
                for (FileChannel r : rotatedUnforced) {
                    r.force(false);
                }
            } catch (IOException e) {
                // reported by the writer's own force before close; nothing more to do here
            }
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        closed = true;
        closeQuietly(activeChannel);
        for (FileChannel r : rotatedUnforced) {
            closeQuietly(r);
        }
        rotatedUnforced.clear();
        for (Segment s : segments.values()) {
            closeQuietly(s.reader);
        }
        try {
            fileLock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(@Nullable AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // best effort on close
            }
        }
    }
}
