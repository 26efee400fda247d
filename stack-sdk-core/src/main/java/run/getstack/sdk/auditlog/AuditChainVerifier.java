package run.getstack.sdk.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.auditlog.internal.ChainHash;
import run.getstack.sdk.auditlog.internal.EntryReader;
import run.getstack.sdk.internal.http.ResponseShapeException;

/**
 * Checks an audit hash chain without STACK, with STACK's documented preimage: each entry's {@code entry_hash} must
 * be the SHA-256 of {@code JSON.stringify({entry_id, timestamp, operator_id, agent_id, layer, action, outcome,
 * prev_entry_hash})}, and each {@code prev_entry_hash} the {@code entry_hash} before it (64 zeros before the first
 * entry of a chain). The first entry that fails is named, with the reason: an edited entry fails its own hash; a
 * removed, inserted or reordered one breaks the link of the entry after the change.
 *
 * <p>Feed entries in chain order with {@link #accept(AuditEntry)} (one at a time: memory does not grow with the
 * chain), or check a whole export with {@link #verify(Iterator)} or {@link #verify(InputStream, ExportFormat)}.
 * Not thread-safe.
 *
 * <pre>{@code
 * try (AuditExport export = stack.auditLog().export(AuditExportRequest.all())) {
 *     ChainVerification v = AuditChainVerifier.verify(export);
 * }
 * }</pre>
 */
public final class AuditChainVerifier {
    /** The {@code prev_entry_hash} of a chain's first entry: 64 zeros. */
    public static final String GENESIS = ChainHash.GENESIS;

    private @Nullable String previous;
    private long checked;
    private @Nullable String firstBad;
    private ChainVerification.@Nullable Reason reason;

    private AuditChainVerifier(@Nullable String previous) {
        this.previous = previous;
    }

    /**
     * A verifier for a whole chain: the first entry must link to {@link #GENESIS}.
     *
     * @return the verifier
     */
    public static AuditChainVerifier fromGenesis() {
        return new AuditChainVerifier(GENESIS);
    }

    /**
     * A verifier for part of a chain (an export with a {@code from}): the first entry's link is taken as given,
     * and every entry after it must link to the one before.
     *
     * @return the verifier
     */
    public static AuditChainVerifier fromAnyEntry() {
        return new AuditChainVerifier(null);
    }

    /**
     * Computes the hash an entry should carry.
     *
     * @param entry the entry
     * @return 64 lower-case hex characters
     */
    public static String entryHash(AuditEntry entry) {
        return ChainHash.entryHash(Objects.requireNonNull(entry, "entry"));
    }

    /**
     * Checks the next entry of the chain.
     *
     * @param entry the entry
     * @return true while the chain is intact; after the first failure false, and later entries are ignored
     */
    public boolean accept(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        if (firstBad != null) {
            return false;
        }
        checked++;
        if (!ChainHash.entryHash(entry).equals(entry.entryHash())) {
            firstBad = entry.entryId();
            reason = ChainVerification.Reason.HASH_MISMATCH;
            return false;
        }
        String prev = previous;
        if (prev != null && !prev.equals(entry.prevEntryHash())) {
            firstBad = entry.entryId();
            reason = ChainVerification.Reason.PREV_HASH_MISMATCH;
            return false;
        }
        previous = entry.entryHash();
        return true;
    }

    /**
     * Returns the verdict so far.
     *
     * @return valid, or the first bad entry and why
     */
    public ChainVerification result() {
        return firstBad == null
                ? new ChainVerification(true, checked, null, null)
                : new ChainVerification(false, checked, firstBad, reason);
    }

    /**
     * Checks a whole chain from its first entry, stopping at the first failure.
     *
     * @param entries the entries in chain order (an {@link AuditExport} works)
     * @return the verdict
     */
    public static ChainVerification verify(Iterator<AuditEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        AuditChainVerifier v = fromGenesis();
        while (entries.hasNext() && v.accept(entries.next())) {
            // keep going until the end or the first failure
        }
        return v.result();
    }

    /**
     * Checks an exported chain read from a stream (a file the SDK or STACK wrote), one entry at a time. Does not
     * close the stream.
     *
     * @param in the export
     * @param format its format
     * @return the verdict
     * @throws UncheckedIOException if the stream cannot be read
     * @throws IllegalArgumentException if the content is not an export in that format (naming the entry number)
     */
    public static ChainVerification verify(InputStream in, ExportFormat format) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(format, "format");
        AuditChainVerifier v = fromGenesis();
        long n = 0;
        try (EntryReader r = EntryReader.open(new NonClosing(in), format)) {
            while (true) {
                AuditEntry e;
                try {
                    e = r.next();
                } catch (ResponseShapeException | com.fasterxml.jackson.core.JsonProcessingException bad) {
                    throw new IllegalArgumentException("in: entry " + (n + 1) + " is not an audit entry in " + format
                            + " (" + bad.getClass().getSimpleName() + ")");
                }
                if (e == null || !v.accept(e)) {
                    break;
                }
                n++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the audit export failed after " + n + " entries", e);
        }
        return v.result();
    }

    @Override
    public String toString() {
        return "AuditChainVerifier{" + result() + '}';
    }

    /** Keeps the caller's stream open when the parser closes. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}
