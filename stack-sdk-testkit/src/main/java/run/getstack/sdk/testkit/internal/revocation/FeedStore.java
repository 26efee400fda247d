package run.getstack.sdk.testkit.internal.revocation;

import java.util.ArrayDeque;
import java.util.Deque;
import run.getstack.sdk.testkit.internal.state.Store;

/** Internal, not for public use. The revocation feed: the retained events and the sequence (reset to empty). */
final class FeedStore implements Store {
    final Deque<RevocationEvent> feed = new ArrayDeque<>();
    long seq;
    int waiters;

    @Override
    public void reset() {
        feed.clear();
    }
}
