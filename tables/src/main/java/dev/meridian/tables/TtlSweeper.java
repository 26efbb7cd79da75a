package dev.meridian.tables;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.tables.keys.KeyBytes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired items of tables with TTL enabled, on one daemon thread named {@code tables-ttl-sweeper}. Each pass
 * examines a bounded number of items, resuming each table where the previous pass stopped; every delete re-checks
 * expiry under the item's lock, so an item rewritten meanwhile survives, and replicates through the fabric.
 *
 * <p>Only the region that wrote an item's current version deletes it when it expires; every other region hides the
 * expired item from reads until that delete arrives. One delete per expiry, instead of one from every region.
 */
final class TtlSweeper implements AutoCloseable {
    static final int ITEMS_PER_PASS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(TtlSweeper.class);

    private final Fabric fabric;
    private final TableCatalog catalog;
    private final StoredItems items;
    /** Where each table's sweep resumes, by tableId; touched only by the sweeper thread. */
    private final Map<String, byte[]> resumeAt = new HashMap<>();
    private ScheduledExecutorService thread;

    TtlSweeper(Fabric fabric, TableCatalog catalog, StoredItems items) {
        this.fabric = fabric;
        this.catalog = catalog;
        this.items = items;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tables-ttl-sweeper");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                log.warn("event=ttl_sweep_failed error=\"{}\"", e.getMessage(), e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** One pass over every TTL-enabled table; returns how many expired items it deleted. */
    int sweep() {
        int budget = ITEMS_PER_PASS;
        int deleted = 0;
        for (TableDefinition table : catalog.all()) {
            // Strong tables refuse TTL: an expiry here would be a write the strong log never agreed on.
            if (table.ttlAttribute().isEmpty() || table.strong() || budget == 0) {
                continue;
            }
            byte[] from = resumeAt.remove(table.tableId());
            try (RecordCursor cursor = fabric.scan(table.itemKeyspace(), from, null, false)) {
                while (cursor.hasNext() && budget > 0) {
                    Record record = cursor.next();
                    budget--;
                    if (ownedHere(record) && items.isExpired(table, StoredItems.decode(record.value()))
                            && deleteIfExpired(table, record.key())) {
                        deleted++;
                    }
                    if (budget == 0 && cursor.hasNext()) {
                        resumeAt.put(table.tableId(), KeyBytes.after(record.key()));
                    }
                }
            }
        }
        return deleted;
    }

    private boolean deleteIfExpired(TableDefinition table, byte[] key) {
        return fabric.mutate(table.itemKeyspace(), key, current -> {
            boolean expired = current.isPresent() && ownedHere(current.get()) && items.live(table, current).isEmpty();
            return expired ? Mutation.delete(true) : Mutation.keep(false);
        });
    }

    private boolean ownedHere(Record record) {
        return record.version().region().equals(fabric.region());
    }

    @Override
    public synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            awaitStop(thread);
            thread = null;
        }
    }

    private static void awaitStop(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
