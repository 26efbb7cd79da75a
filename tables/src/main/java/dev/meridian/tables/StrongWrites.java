package dev.meridian.tables;

import dev.meridian.core.strong.StrongLog;
import dev.meridian.core.strong.StrongLogUnavailableException;
import dev.meridian.core.strong.StrongWrite;
import dev.meridian.core.strong.Verdict;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Strong tables' writes and consistent reads. A write reads the key from this region's copy, decides, and proposes a
 * compare-and-set to the strong log: it is made only if no agreed write touched the key since the read, so it is
 * linearizable and concurrent writes to one item never both succeed blindly; on a conflict it reads again, up to
 * {@link #MAX_ATTEMPTS} times. A refusal (a failed condition) is only answered from a copy confirmed current by a
 * read barrier, since this region's copy may lag the agreed log.
 *
 * <p>Durability: acknowledged once a majority of the control plane's members logged it durably and this region applied
 * it to its fabric (fsync'd). Replication: every region applies the agreed log itself, in the same order.
 */
final class StrongWrites implements ItemWriter {
    static final int MAX_ATTEMPTS = 10;
    /** How long a write waits for this region to apply what the log agreed before reading or answering. */
    private static final Duration APPLY_WAIT = Duration.ofSeconds(4);

    private final Fabric fabric;
    private final StrongLog log;

    StrongWrites(Fabric fabric, StrongLog log) {
        this.fabric = fabric;
        this.log = log;
    }

    @Override
    public <R> R mutate(String keyspace, byte[] key, Function<Optional<Record>, Mutation<R>> decide) {
        boolean confirmed = false;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long readIndex = log.applied();
            Mutation<R> mutation;
            try {
                mutation = decide.apply(fabric.get(keyspace, key));
            } catch (TablesException refused) {
                if (confirmed) {
                    throw refused;
                }
                readBarrier();
                confirmed = true;
                continue;
            }
            if (mutation instanceof Mutation.Keep<R> keep) {
                if (confirmed) {
                    return keep.result();
                }
                readBarrier();
                confirmed = true;
                continue;
            }
            byte[] value = mutation instanceof Mutation.Put<R> put ? put.value() : null;
            Verdict verdict = join(log.propose(new StrongWrite(keyspace, key, value, readIndex, fabric.timestamp(),
                    fabric.region())));
            if (verdict.accepted()) {
                // Made: the answer does not depend on the wait, which only lets a read here right after see it.
                log.awaitApplied(verdict.index(), APPLY_WAIT).join();
                return mutation.result();
            }
            awaitApplied(verdict.keyIndex());
            confirmed = false;
        }
        throw new TablesException(DynamoError.REPLICATED_WRITE_CONFLICT, "The item was modified by requests in other"
                + " regions " + MAX_ATTEMPTS + " times while this request tried to write it; retry it");
    }

    /** Returns once this region's copy holds every write agreed before the call: a read then is linearizable. */
    void readBarrier() {
        join(log.readBarrier());
    }

    /** Waits until this region holds the write that refused ours, to decide again on it. */
    private void awaitApplied(long index) {
        if (!join(log.awaitApplied(index, APPLY_WAIT))) {
            throw new TablesException(DynamoError.SERVICE_UNAVAILABLE, "This region has not applied the strong log"
                    + " within " + APPLY_WAIT.toSeconds() + " s; retry the request");
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof StrongLogUnavailableException unavailable) {
                throw new TablesException(DynamoError.SERVICE_UNAVAILABLE, unavailable.getMessage());
            }
            throw e;
        }
    }
}
