package run.getstack.sdk.audit.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Spool.ChannelOpener} for tests: real files behind channels that can be told to fail a write partway or a
 * force, and that remember whether they were closed (to prove the spool leaks none).
 */
final class FaultyFiles implements Spool.ChannelOpener {
    final List<Channel> opened = new CopyOnWriteArrayList<>();

    /** Bytes the next write may still hand to the file before it fails; -1 for no fault. */
    volatile long failWriteAfter = -1;

    /** Forces that fail, counted down (0: none). */
    final AtomicInteger failForces = new AtomicInteger();

    final AtomicInteger forces = new AtomicInteger();

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        Channel c = new Channel(path, FileChannel.open(path, options));
        opened.add(c);
        return c;
    }

    List<Path> stillOpen() {
        return opened.stream().filter(Channel::isOpen).map(c -> c.path).toList();
    }

    final class Channel extends FileChannel {
        final Path path;
        private final FileChannel d;

        Channel(Path path, FileChannel d) {
            this.path = path;
            this.d = d;
        }

        /** Applies a pending write fault: a short write of what is left of the allowance, then an IOException. */
        private int write(ByteBuffer src, long position, boolean positional) throws IOException {
            long allowance = failWriteAfter;
            if (allowance < 0) {
                return positional ? d.write(src, position) : d.write(src);
            }
            if (allowance == 0) {
                failWriteAfter = -1;
                throw new IOException("injected: no space left on device");
            }
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + (int) Math.min(allowance, part.remaining()));
            int n = positional ? d.write(part, position) : d.write(part);
            src.position(src.position() + n);
            failWriteAfter = allowance - n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return write(src, -1, false);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return write(src, position, true);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public void force(boolean metaData) throws IOException {
            if (failForces.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IOException("injected: fsync failed");
            }
            forces.incrementAndGet();
            d.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return d.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return d.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return d.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return d.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            d.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return d.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            d.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return d.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return d.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return d.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return d.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return d.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            d.close();
        }
    }
}
