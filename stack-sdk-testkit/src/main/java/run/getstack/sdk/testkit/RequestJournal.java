package run.getstack.sdk.testkit;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Every request the fake received, in arrival order, for assertions. Thread-safe. */
public final class RequestJournal {
    private final List<JournalEntry> entries = new CopyOnWriteArrayList<>();

    RequestJournal() {}

    void record(JournalEntry e) {
        entries.add(e);
    }

    /**
     * All entries.
     *
     * @return a snapshot
     */
    public List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Entries matching a method ({@code *} for any) and path pattern ({@code *}, {@code {x}}, {@code **}).
     *
     * @param method method
     * @param pathPattern pattern
     * @return the matching entries
     */
    public List<JournalEntry> entries(String method, String pathPattern) {
        PathPattern.validate(pathPattern);
        String m = method.toUpperCase(Locale.ROOT);
        return entries.stream()
                .filter(e -> m.equals("*") || e.method().equals(m))
                .filter(e -> PathPattern.matches(pathPattern, e.path()))
                .toList();
    }

    /**
     * How many requests matched.
     *
     * @param method method
     * @param pathPattern pattern
     * @return the count
     */
    public int count(String method, String pathPattern) {
        return entries(method, pathPattern).size();
    }

    /**
     * The latest entry.
     *
     * @return the entry, or null if none
     */
    public @Nullable JournalEntry last() {
        List<JournalEntry> l = entries();
        return l.isEmpty() ? null : l.get(l.size() - 1);
    }

    /** Forgets every entry. */
    public void clear() {
        entries.clear();
    }

    @Override
    public String toString() {
        return "RequestJournal[" + entries.size() + " entries]";
    }
}
