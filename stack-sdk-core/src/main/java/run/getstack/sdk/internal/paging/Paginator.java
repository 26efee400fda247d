package run.getstack.sdk.internal.paging;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import run.getstack.sdk.PagedIterable;
import run.getstack.sdk.StackMalformedResponseException;

/**
 * Internal, not for public use. The client's {@link PagedIterable}: each iterator fetches pages through a {@link
 * PageFetcher} on demand and holds only the current page. A server that hands back a token it gave before (a cycle),
 * that sends more than {@value #MAX_EMPTY_PAGES} empty pages in a row that still point further, or more than {@value
 * #MAX_PAGES} pages in all (e.g. one that ignores the page number), ends the iteration with {@link
 * StackMalformedResponseException} instead of looping forever.
 *
 * @param <T> the item type
 */
public final class Paginator<T> implements PagedIterable<T> {
    /** Empty pages in a row (each naming a next page) accepted before the iteration gives up. */
    static final int MAX_EMPTY_PAGES = 16;

    /** Pages one iteration fetches at most (also bounds the set of tokens it remembers). */
    static final int MAX_PAGES = 10_000;

    private final PageFetcher<T> fetcher;

    private Paginator(PageFetcher<T> fetcher) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    }

    /**
     * Pages through a fetcher.
     *
     * @param fetcher fetches one page
     * @param <T> the item type
     * @return the lazy iterable
     */
    public static <T> Paginator<T> of(PageFetcher<T> fetcher) {
        return new Paginator<>(fetcher);
    }

    /**
     * Pages by number ({@code page} 1, 2, ... with a fixed {@code limit}): a page with fewer than {@code limit}
     * items is the last one.
     *
     * @param limit the page size sent
     * @param fetchPage fetches page number {@code n} (1-based) and returns its items
     * @param <T> the item type
     * @return the lazy iterable
     */
    public static <T> Paginator<T> byPageNumber(int limit, Function<Integer, List<T>> fetchPage) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be at least 1");
        }
        return new Paginator<>(token -> {
            int page = token == null ? 1 : Integer.parseInt(token);
            List<T> items = fetchPage.apply(page);
            return new PageFetcher.Page<>(items, items.size() < limit ? null : Integer.toString(page + 1));
        });
    }

    @Override
    public Iterator<T> iterator() {
        return new PageIterator<>(fetcher);
    }

    private static final class PageIterator<T> implements Iterator<T> {
        private final PageFetcher<T> fetcher;
        private List<T> items = List.of();
        private int index;
        private @Nullable String next;
        private boolean started;
        private int pages;
        private final Set<String> seen = new HashSet<>();

        PageIterator(PageFetcher<T> fetcher) {
            this.fetcher = fetcher;
        }

        @Override
        public boolean hasNext() {
            int empty = 0;
            while (index >= items.size()) {
                if (started && next == null) {
                    return false;
                }
                if (pages >= MAX_PAGES) {
                    throw new StackMalformedResponseException(
                            "the server still names a next page after " + MAX_PAGES + " pages; paging stopped",
                            0,
                            null,
                            null);
                }
                String token = next;
                PageFetcher.Page<T> page = fetcher.fetch(token);
                pages++;
                String following = page.next();
                if (following != null && following.equals(token)) {
                    throw new StackMalformedResponseException(
                            "the server returned the same page token again; paging stopped", 0, null, null);
                }
                if (following != null && !seen.add(following)) {
                    throw new StackMalformedResponseException(
                            "the server returned a page token it gave before (a cycle); paging stopped", 0, null, null);
                }
                started = true;
                items = page.items();
                index = 0;
                next = following;
                if (items.isEmpty() && following != null && ++empty > MAX_EMPTY_PAGES) {
                    throw new StackMalformedResponseException(
                            "the server returned " + MAX_EMPTY_PAGES + " empty pages in a row; paging stopped",
                            0,
                            null,
                            null);
                }
            }
            return true;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return items.get(index++);
        }
    }
}
