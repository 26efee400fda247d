package run.getstack.sdk.internal.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import run.getstack.sdk.StackMalformedResponseException;

/** The one paging mechanism: lazy, one page at a time, safe against servers that loop. */
class PaginatorTest {

    @Test
    void pageNumbersStopAtTheFirstShortPage() {
        List<Integer> asked = new ArrayList<>();
        Paginator<Integer> p = Paginator.byPageNumber(7, page -> {
            asked.add(page);
            int from = (page - 1) * 7;
            return IntStream.range(from, Math.min(from + 7, 1000)).boxed().toList();
        });

        assertThat(p.stream().count()).isEqualTo(1000);
        assertThat(asked).hasSize(143).startsWith(1, 2, 3).endsWith(143);
    }

    @Test
    void aFullLastPageCostsOneEmptyRequest() {
        List<Integer> asked = new ArrayList<>();
        Paginator<Integer> p = Paginator.byPageNumber(5, page -> {
            asked.add(page);
            return page <= 2 ? List.of(1, 2, 3, 4, 5) : List.of();
        });

        assertThat(p.stream().count()).isEqualTo(10);
        assertThat(asked).containsExactly(1, 2, 3);
    }

    @Test
    void nothingIsFetchedUntilTheIterationAsks() {
        List<String> tokens = new ArrayList<>();
        Paginator<String> p = Paginator.of(t -> {
            tokens.add(String.valueOf(t));
            return t == null ? new PageFetcher.Page<>(List.of("a"), "c1") : PageFetcher.Page.last(List.of("b"));
        });

        Iterator<String> it = p.iterator();
        assertThat(tokens).isEmpty();
        assertThat(it.next()).isEqualTo("a");
        assertThat(tokens).containsExactly("null");
        assertThat(it.next()).isEqualTo("b");
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(tokens).containsExactly("null", "c1");
    }

    @Test
    void aRepeatedTokenStopsTheIteration() {
        Paginator<String> p = Paginator.of(t -> new PageFetcher.Page<>(List.of("x"), "same"));

        Iterator<String> it = p.iterator();
        it.next();
        assertThatThrownBy(it::next)
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("same page token");
    }

    @Test
    void endlessEmptyPagesStopTheIteration() {
        int[] n = {0};
        Paginator<String> p = Paginator.of(t -> new PageFetcher.Page<>(List.of(), "c" + n[0]++));

        assertThatThrownBy(() -> p.iterator().hasNext())
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("empty pages");
        assertThat(n[0]).isEqualTo(Paginator.MAX_EMPTY_PAGES + 1);
    }

    @Test
    void aFailedPageEndsTheIterationWithItsError() {
        Paginator<String> p = Paginator.of(t -> {
            if (t != null) {
                throw new IllegalStateException("page 2 failed");
            }
            return new PageFetcher.Page<>(List.of("a"), "c1");
        });

        Iterator<String> it = p.iterator();
        it.next();
        assertThatThrownBy(it::hasNext).hasMessage("page 2 failed");
    }
    // Finding 7a of the independent review: only a repeated identical token was caught.
    @Test
    void aServerCyclingThroughTokensIsStopped() {
        List<String> tokens = new ArrayList<>();
        Paginator<String> p = Paginator.of(t -> {
            tokens.add(String.valueOf(t));
            return new PageFetcher.Page<>(List.of(String.valueOf(t)), "A".equals(t) ? "B" : "A");
        });

        assertThatThrownBy(() -> p.stream().count())
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("page token");
        assertThat(tokens).containsExactly("null", "A", "B");
    }

    @Test
    void aServerIgnoringThePageNumberIsStopped() {
        List<Integer> asked = new ArrayList<>();
        Paginator<Integer> p = Paginator.byPageNumber(3, page -> {
            asked.add(page);
            return List.of(1, 2, 3);
        });

        assertThatThrownBy(() -> p.stream().count())
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining("after " + Paginator.MAX_PAGES + " pages");
        assertThat(asked).hasSize(Paginator.MAX_PAGES);
    }

    @Test
    void endlessDistinctPagesStopAtTheMaximumPageCount() {
        int[] fetched = {0};
        Paginator<Integer> p = Paginator.of(t -> {
            fetched[0]++;
            return new PageFetcher.Page<>(List.of(fetched[0]), "t" + fetched[0]);
        });

        assertThatThrownBy(() -> p.stream().count())
                .isInstanceOf(StackMalformedResponseException.class)
                .hasMessageContaining(Integer.toString(Paginator.MAX_PAGES));
        assertThat(fetched[0]).isEqualTo(Paginator.MAX_PAGES);
    }
}
