package dev.meridian.tables;

import dev.meridian.fabric.Fabric;
import java.util.Optional;

/** Picks how each table's items are written, and makes strong tables' consistent reads wait for the agreed log. */
final class TableWriters {
    private final Fabric fabric;
    private final Optional<StrongWrites> strong;

    TableWriters(Fabric fabric, Optional<StrongWrites> strong) {
        this.fabric = fabric;
        this.strong = strong;
    }

    ItemWriter of(TableDefinition table) {
        return table.strong() ? strong() : fabric::mutate;
    }

    /**
     * Before a read: a strongly consistent read of a strong table waits until this region holds every write agreed
     * before it began (ConsistentRead=true then means linearizable across regions, as in DynamoDB's MRSC).
     */
    void beforeRead(TableDefinition table, boolean consistentRead) {
        if (consistentRead && table.strong()) {
            strong().readBarrier();
        }
    }

    boolean strongAvailable() {
        return strong.isPresent();
    }

    StrongWrites strong() {
        return strong.orElseThrow(() -> new TablesException(DynamoError.SERVICE_UNAVAILABLE, "This region runs no"
                + " control plane, which strong tables are agreed in: give its config a control section"));
    }
}
