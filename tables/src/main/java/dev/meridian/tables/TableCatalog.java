package dev.meridian.tables;

import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.tables.keys.KeyBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Table definitions in the fabric's {@code tables} keyspace, with a cache of parsed definitions that every local or
 * replicated change to the keyspace invalidates.
 */
final class TableCatalog {
    private final Fabric fabric;
    private final Map<String, Optional<TableDefinition>> cache = new ConcurrentHashMap<>();
    /** Bumped on every change, so a load that raced with a change does not cache what it read before it. */
    private final AtomicLong generation = new AtomicLong();

    TableCatalog(Fabric fabric) {
        this.fabric = fabric;
        fabric.watch(TableDefinition.KEYSPACE, key -> {
            generation.incrementAndGet();
            cache.remove(new String(key, StandardCharsets.UTF_8));
        });
    }

    Optional<TableDefinition> find(String name) {
        Optional<TableDefinition> cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<TableDefinition> loaded = fabric.get(TableDefinition.KEYSPACE, key(name))
                .map(record -> TableDefinition.fromBytes(record.value()));
        if (generation.get() == before) {
            cache.put(name, loaded);
        }
        return loaded;
    }

    /** The table, or ResourceNotFoundException as item operations answer it. */
    TableDefinition require(String name) {
        return find(name).orElseThrow(() ->
                new TablesException(DynamoError.RESOURCE_NOT_FOUND, "Requested resource not found"));
    }

    /** The table, or ResourceNotFoundException as table operations answer it. */
    TableDefinition requireForTableOperation(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    void create(TableDefinition table) {
        fabric.mutate(TableDefinition.KEYSPACE, key(table.name()), current -> {
            if (current.isPresent()) {
                throw new TablesException(DynamoError.RESOURCE_IN_USE, "Table already exists: " + table.name());
            }
            return Mutation.put(table.toBytes(), null);
        });
    }

    TableDefinition delete(String name) {
        return fabric.mutate(TableDefinition.KEYSPACE, key(name), current ->
                Mutation.delete(parse(current).orElseThrow(() -> notFound(name))));
    }

    /** Replaces the definition with {@code change} of it, atomically; change may throw to refuse. */
    TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
        return update(name, change, fabric::mutate);
    }

    /** {@link #update(String, UnaryOperator)} written by {@code writer}: the strong log, to make a table strong. */
    TableDefinition update(String name, UnaryOperator<TableDefinition> change, ItemWriter writer) {
        return writer.mutate(TableDefinition.KEYSPACE, key(name), current -> {
            TableDefinition updated = change.apply(parse(current).orElseThrow(() -> notFound(name)));
            return Mutation.put(updated.toBytes(), updated);
        });
    }

    /** Up to {@code limit} table names after {@code exclusiveStart} (null: from the first), in name order. */
    List<String> names(String exclusiveStart, int limit) {
        var names = new ArrayList<String>();
        byte[] from = exclusiveStart == null ? null : KeyBytes.after(key(exclusiveStart));
        try (RecordCursor cursor = fabric.scan(TableDefinition.KEYSPACE, from, null, false)) {
            while (cursor.hasNext() && names.size() < limit) {
                names.add(new String(cursor.next().key(), StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    List<TableDefinition> all() {
        var tables = new ArrayList<TableDefinition>();
        try (RecordCursor cursor = fabric.scan(TableDefinition.KEYSPACE, null, null, false)) {
            cursor.forEachRemaining(record -> tables.add(TableDefinition.fromBytes(record.value())));
        }
        return tables;
    }

    private static Optional<TableDefinition> parse(Optional<Record> record) {
        return record.map(r -> TableDefinition.fromBytes(r.value()));
    }

    private static TablesException notFound(String name) {
        return new TablesException(DynamoError.RESOURCE_NOT_FOUND,
                "Requested resource not found: Table: " + name + " not found");
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }
}
