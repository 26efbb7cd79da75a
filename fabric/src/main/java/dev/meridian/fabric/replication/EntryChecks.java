package dev.meridian.fabric.replication;

import dev.meridian.core.HybridClock;
import dev.meridian.fabric.wire.Entry;
import java.util.List;
import java.util.Optional;

/**
 * What a peer's entries must be before the committer sees them: a named origin (the stream's own, for a log
 * stream), a keyspace a state key can be made of, and a timestamp a sane clock gives. An entry that is not is a
 * broken or hostile peer's; its whole batch is refused, so it can neither fail the writes committed with it nor win
 * last-writer-wins forever.
 */
public final class EntryChecks {
    private EntryChecks() {}

    /** Why {@code entries} cannot be applied, if they cannot. {@code origin}: the only origin allowed, or null: any. */
    public static Optional<String> problem(List<Entry> entries, String origin, HybridClock clock) {
        for (Entry entry : entries) {
            if (entry.getOrigin().isEmpty()) {
                return Optional.of("an entry names no origin region");
            }
            if (origin != null && !origin.equals(entry.getOrigin())) {
                return Optional.of("an entry of " + entry.getOrigin() + " in the stream from " + origin);
            }
            if (entry.getKeyspace().isEmpty() || entry.getKeyspace().indexOf('\0') >= 0) {
                return Optional.of("an entry's keyspace is empty or contains NUL");
            }
            if (!clock.isPlausible(entry.getTimestamp())) {
                return Optional.of("an entry's timestamp " + entry.getTimestamp() + " is more than a day ahead");
            }
        }
        return Optional.empty();
    }
}
