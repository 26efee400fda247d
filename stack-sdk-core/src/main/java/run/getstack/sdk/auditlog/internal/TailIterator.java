package run.getstack.sdk.auditlog.internal;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.getstack.sdk.StackInterruptedException;
import run.getstack.sdk.auditlog.AuditEntry;
import run.getstack.sdk.auditlog.AuditTail;
import run.getstack.sdk.auditlog.AuditTailOptions;
import run.getstack.sdk.internal.http.Sleeper;

/** Internal, not for public use. The blocking form of the tail: polls on the caller's thread. */
final class TailIterator implements AuditTail {
    private static final Logger LOG = LoggerFactory.getLogger(TailIterator.class);

    private final TailPoller poller;
    private final AuditTailOptions options;
    private final Sleeper sleeper;
    private final ArrayDeque<AuditEntry> buffer = new ArrayDeque<>();
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong gaps = new java.util.concurrent.atomic.AtomicLong();
    private boolean polledOnce;

    TailIterator(DefaultAuditLog log, AuditTailOptions options, Sleeper sleeper) {
        this.poller = new TailPoller(log, options);
        this.options = options;
        this.sleeper = sleeper;
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty()) {
            if (closed) {
                return false;
            }
            if (polledOnce) {
                try {
                    sleeper.sleep(options.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StackInterruptedException("interrupted while following the audit log", null, e);
                }
                if (closed) {
                    return false;
                }
            }
            polledOnce = true;
            buffer.addAll(poller.poll((after, oldest) -> {
                gaps.incrementAndGet();
                LOG.warn("audit tail: a full poll after {} may have skipped entries before {}", after, oldest);
            }));
        }
        return true;
    }

    @Override
    public AuditEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.removeFirst();
    }

    @Override
    public long watermarkMillis() {
        return poller.watermark();
    }

    @Override
    public long possibleGaps() {
        return gaps.get();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "AuditTail{" + options + ", watermark=" + poller.watermark() + ", closed=" + closed + '}';
    }
}
