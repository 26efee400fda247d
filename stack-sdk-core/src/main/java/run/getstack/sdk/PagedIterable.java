package run.getstack.sdk;

import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A list STACK returns in pages, read lazily: the first page is fetched when iteration starts, the next one only
 * when the previous one is used up, and only one page is held at a time, so memory stays bounded however many
 * pages there are. Each {@link #iterator()} (or {@link #stream()}) starts again from the first page with fresh
 * requests. A failed page request ends the iteration with the {@link StackException} of that request.
 *
 * <p>Lists that change while they are read (new items, deleted or resolved ones) may show an item twice or skip
 * one when the server pages by number; each list method documents its server's paging.
 *
 * @param <T> the item type
 */
public interface PagedIterable<T> extends Iterable<T> {

    /**
     * Streams the items, fetching pages as the stream is consumed (sequential, ordered, no nulls).
     *
     * @return a lazy stream
     */
    default Stream<T> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
                false);
    }
}
