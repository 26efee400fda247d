package run.getstack.sdk.testkit;

import org.jspecify.annotations.Nullable;

/**
 * The result of walking an operator's audit chain.
 *
 * @param valid whether every entry recomputes and links to its predecessor
 * @param checked entries examined, up to and including the first bad one
 * @param firstBadEntryId the first entry that fails, or null when valid
 * @param reason {@code hash_mismatch} or {@code prev_hash_mismatch}, or null when valid
 */
public record ChainVerification(
        boolean valid,
        int checked,
        @Nullable String firstBadEntryId,
        @Nullable String reason) {}
