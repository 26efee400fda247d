package run.getstack.sdk.internal.paging;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Internal, not for public use. Fetches one page given the token of the previous page ({@code null} for the first).
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface PageFetcher<T> {

    /**
     * Fetches a page.
     *
     * @param token where to continue: null for the first page, else the {@link Page#next()} of the page before
     * @return the page
     */
    Page<T> fetch(@Nullable String token);

    /**
     * One fetched page.
     *
     * @param items the items, in the server's order
     * @param next the token of the following page, or null when this is the last one
     * @param <T> the item type
     */
    record Page<T>(List<T> items, @Nullable String next) {
        /**
         * Copies the items.
         *
         * @param items the items
         * @param next the next token or null
         */
        public Page {
            items = List.copyOf(Objects.requireNonNull(items, "items"));
        }

        /**
         * A last page.
         *
         * @param items the items
         * @param <T> the item type
         * @return the page
         */
        public static <T> Page<T> last(List<T> items) {
            return new Page<>(items, null);
        }
    }
}
