package dev.meridian.sql;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Who the SQL primary is, and whether this region may take writes as it: either fixed by configuration, or agreed
 * by the control plane (Apache Ratis), which fails the primary over and fences it.
 */
interface SqlRoles extends AutoCloseable {
    /** The current primary region and its fencing epoch; the epoch grows by one at every change. */
    Role current();

    /**
     * True while this region, as the primary, may take writes: always with a fixed primary; with the control plane,
     * only while a majority agreed to one of its recent heartbeats.
     */
    boolean holdsWriteLease();

    /** Makes {@code region} the primary, if the epoch is still {@code expectedEpoch}; planned for a switchover. */
    CompletableFuture<Role> changePrimary(String region, long expectedEpoch, boolean planned);

    /** Called after every change of {@link #current()}. */
    void onChange(Runnable listener);

    /** The last change of primary, if any: from and to whom, and whether it was planned. */
    Optional<Change> lastChange();

    @Override
    default void close() {}

    record Role(String primary, long epoch) {}

    /** A change of primary; {@code rpoBytesEstimate} from the members' last reported WAL positions. */
    record Change(String from, String to, long epoch, boolean planned, long rpoBytesEstimate) {}
}
