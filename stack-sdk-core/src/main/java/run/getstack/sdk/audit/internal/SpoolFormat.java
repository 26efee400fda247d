package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Internal, not for public use. The byte layout of the audit spool's segment files (see {@link Spool}): the magic,
 * the record header, the checksum, and the two fields read straight from a record's payload (the writer puts {@code
 * event_id} first and {@code client_hash} last).
 */
public final class SpoolFormat {
    /** The first 8 bytes of every segment file. */
    static final byte[] MAGIC = "STKAUD1\n".getBytes(StandardCharsets.US_ASCII);

    /** Record header: u32 payload length, u32 CRC-32C, u64 client_seq, u64 timestamp. */
    static final int HEADER = 24;

    /** The largest record payload: one event with the largest detail fits many times over. */
    static final int MAX_PAYLOAD = 64 * 1024;

    /** Where the event id starts in a payload. */
    static final int EVENT_ID_OFFSET = "{\"event_id\":\"".length();

    private SpoolFormat() {}

    /** CRC-32C over the big-endian seq, the big-endian timestamp and the payload. */
    static int checksum(CRC32C crc, long seq, long ts, byte[] payload, int off, int len) {
        crc.reset();
        for (int i = 56; i >= 0; i -= 8) {
            crc.update((int) (seq >>> i) & 0xFF);
        }
        for (int i = 56; i >= 0; i -= 8) {
            crc.update((int) (ts >>> i) & 0xFF);
        }
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    /** Reads until {@code b} is full, from {@code position}; the end of the file first is an error. */
    static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }

    /** The event id: the payload starts with the key {@code event_id} and its 36-character value. */
    static String eventIdOf(byte[] payload) {
        return new String(payload, EVENT_ID_OFFSET, 36, StandardCharsets.US_ASCII);
    }

    /**
     * Returns the client hash of a record: the payload ends with the 64 hex digits of {@code client_hash}, a quote
     * and a brace.
     *
     * @param payload the payload
     * @param len its length
     * @return 64 hex
     */
    public static String hashOf(byte[] payload, int len) {
        return new String(payload, len - 66, 64, StandardCharsets.US_ASCII);
    }
}
