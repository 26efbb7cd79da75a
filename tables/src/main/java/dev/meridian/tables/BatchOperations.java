package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.KeyChange;
import dev.meridian.fabric.Mutation;
import dev.meridian.tables.expr.ExpressionAttributes;
import dev.meridian.tables.expr.ProjectionExpression;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.JsonShape;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.keys.ItemSize;
import dev.meridian.tables.model.AttributeValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * BatchGetItem and BatchWriteItem. Every request of a batch is validated before any is served; a key that cannot be
 * read within the 16 MB response limit, or a write the fabric cannot make now, is handed back as unprocessed.
 */
final class BatchOperations {
    static final int MAX_GET_KEYS = 100;
    static final int MAX_WRITES = 25;
    static final long MAX_RESPONSE_BYTES = 16L * 1024 * 1024;
    private static final String DUPLICATES = "Provided list of item keys contains duplicates";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Fabric fabric;
    private final TableCatalog catalog;
    private final StoredItems items;
    private final TableWriters writers;

    BatchOperations(Fabric fabric, TableCatalog catalog, StoredItems items, TableWriters writers) {
        this.fabric = fabric;
        this.catalog = catalog;
        this.items = items;
        this.writers = writers;
    }

    /** One table's part of a BatchGetItem, parsed and checked. */
    private record TableGet(TableDefinition table, RequestFields source,
            List<Map<String, AttributeValue>> keys, Optional<ProjectionExpression> projection, boolean consistent) {}

    /** One PutRequest (item present) or DeleteRequest (key only) of a BatchWriteItem. */
    private record Write(TableDefinition table, JsonNode raw, Map<String, AttributeValue> key,
            Optional<Map<String, AttributeValue>> item) {}

    JsonNode batchGetItem(RequestFields request) {
        Capacity capacity = Capacity.requested(request);
        JsonNode requestItems = requestItems(request);
        var gets = new ArrayList<TableGet>();
        int total = 0;
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            TableNames.check(request, "RequestItems", entry.getKey());
            RequestFields part = RequestFields.of(entry.getValue());
            List<JsonNode> keyNodes = part.list("Keys").orElseThrow(() -> part.constraint("Keys", null, "Member must not be null"));
            total += keyNodes.size();
            if (total > MAX_GET_KEYS) {
                throw TablesException.validation("Too many items requested for the BatchGetItem call");
            }
            gets.add(parseGet(entry.getKey(), part, keyNodes));
        }
        ObjectNode responses = NODES.objectNode();
        ObjectNode unprocessed = NODES.objectNode();
        ArrayNode consumed = NODES.arrayNode();
        long bytes = 0;
        for (TableGet get : gets) {
            ArrayNode found = responses.putArray(get.table().name());
            ArrayNode leftOver = NODES.arrayNode();
            long tableBytes = 0;
            ItemKeys keys = new ItemKeys(get.table());
            writers.beforeRead(get.table(), get.consistent());
            for (Map<String, AttributeValue> key : get.keys()) {
                if (bytes >= MAX_RESPONSE_BYTES) {
                    leftOver.add(ItemJson.writeItem(key));
                    continue;
                }
                Optional<Map<String, AttributeValue>> item =
                        items.live(get.table(), fabric.get(get.table().itemKeyspace(), keys.storageKey(key)));
                if (item.isPresent()) {
                    long size = ItemSize.of(item.get());
                    bytes += size;
                    tableBytes += size;
                    found.add(ItemJson.writeItem(get.projection().map(p -> p.project(item.get())).orElse(item.get())));
                }
            }
            if (!leftOver.isEmpty()) {
                ObjectNode retry = (ObjectNode) get.source().node().deepCopy();
                retry.set("Keys", leftOver);
                unprocessed.set(get.table().name(), retry);
            }
            if (capacity.wanted()) {
                consumed.add(capacity.render(get.table().name(), Capacity.readUnits(tableBytes, get.consistent())));
            }
        }
        ObjectNode response = NODES.objectNode();
        response.set("Responses", responses);
        response.set("UnprocessedKeys", unprocessed);
        if (capacity.wanted()) {
            response.set("ConsumedCapacity", consumed);
        }
        return response;
    }

    private TableGet parseGet(String tableName, RequestFields part, List<JsonNode> keyNodes) {
        if (keyNodes.isEmpty()) {
            throw part.constraint("Keys", "[]", "Member must have length greater than or equal to 1");
        }
        ExpressionAttributes attributes = RequestExpressions.attributes(part);
        Optional<ProjectionExpression> projection = part.string("ProjectionExpression")
                .map(text -> ProjectionExpression.parse(text, attributes));
        attributes.checkAllUsed();
        TableDefinition table = catalog.require(tableName);
        ItemKeys keys = new ItemKeys(table);
        var parsed = new ArrayList<Map<String, AttributeValue>>();
        var seen = new HashSet<ByteBuffer>();
        for (JsonNode node : keyNodes) {
            Map<String, AttributeValue> key = keys.readKey(node);
            if (!seen.add(ByteBuffer.wrap(keys.storageKey(key)))) {
                throw TablesException.validation(DUPLICATES);
            }
            parsed.add(key);
        }
        return new TableGet(table, part, parsed, projection,
                part.bool("ConsistentRead").orElse(false));
    }

    JsonNode batchWriteItem(RequestFields request) {
        Capacity capacity = Capacity.requested(request);
        JsonNode requestItems = requestItems(request);
        var writes = new ArrayList<Write>();
        for (Map.Entry<String, JsonNode> entry : requestItems.properties()) {
            TableNames.check(request, "RequestItems", entry.getKey());
            TableDefinition table = catalog.require(entry.getKey());
            Set<ByteBuffer> seen = new HashSet<>();
            for (JsonNode raw : JsonShape.list(entry.getValue())) {
                Write write = parseWrite(table, raw);
                if (!seen.add(ByteBuffer.wrap(new ItemKeys(table).storageKey(write.key())))) {
                    throw TablesException.validation(DUPLICATES);
                }
                writes.add(write);
                if (writes.size() > MAX_WRITES) {
                    throw TablesException.validation("Too many items requested for the BatchWriteItem call");
                }
            }
        }
        if (writes.isEmpty()) {
            throw request.constraint("RequestItems", "{}", "Member must have length greater than or equal to 1");
        }
        List<CompletableFuture<Long>> outcomes = write(writes);
        ObjectNode unprocessed = NODES.objectNode();
        Map<String, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            if (outcomes.get(i).isCompletedExceptionally()) {
                // The fabric could not commit (e.g. it is closing): the client retries this item later.
                unprocessed.withArrayProperty(write.table().name()).add(write.raw());
            } else {
                long oldSize = outcomes.get(i).join();
                units.merge(write.table().name(),
                        Capacity.writeUnits(Math.max(oldSize, write.item().map(ItemSize::of).orElse(0L))), Double::sum);
            }
        }
        ObjectNode response = NODES.objectNode();
        response.set("UnprocessedItems", unprocessed);
        if (capacity.wanted()) {
            ArrayNode consumed = response.putArray("ConsumedCapacity");
            units.forEach((table, total) -> consumed.add(capacity.render(table, total)));
        }
        return response;
    }

    private static Write parseWrite(TableDefinition table, JsonNode raw) {
        RequestFields write = RequestFields.of(raw);
        Optional<RequestFields> put = write.structure("PutRequest");
        Optional<RequestFields> delete = write.structure("DeleteRequest");
        if (put.isPresent() == delete.isPresent()) {
            throw TablesException.validation("Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
        }
        ItemKeys keys = new ItemKeys(table);
        if (delete.isPresent()) {
            return new Write(table, raw, keys.readKey(ItemOperations.requiredKey(delete.get())), Optional.empty());
        }
        RequestFields putFields = put.get();
        Map<String, AttributeValue> item = ItemJson.readItem(
                putFields.map("Item").orElseThrow(() -> putFields.constraint("Item", null, "Member must not be null")));
        keys.checkItem(item);
        ItemOperations.checkSize(item, "Item size has exceeded the maximum allowed size");
        return new Write(table, raw, keys.keyOf(item), Optional.of(item));
    }

    /**
     * Makes every write; each outcome is the size of the item it replaced, or failed when it could not be made now.
     * Eventual tables' writes go in one group commit (one fsync for the call); strong tables' each through the strong
     * log, one after another.
     */
    private List<CompletableFuture<Long>> write(List<Write> writes) {
        List<Write> eventual = writes.stream().filter(write -> !write.table().strong()).toList();
        var made = new IdentityHashMap<Write, CompletableFuture<Long>>();
        List<CompletableFuture<Long>> grouped = fabric.mutateEach(eventual.stream().map(this::change).toList());
        for (int i = 0; i < eventual.size(); i++) {
            made.put(eventual.get(i), grouped.get(i));
        }
        for (Write write : writes) {
            if (write.table().strong()) {
                KeyChange<Long> change = change(write);
                try {
                    made.put(write, CompletableFuture.completedFuture(
                            writers.of(write.table()).mutate(change.keyspace(), change.key(), change.decide())));
                } catch (TablesException e) {
                    made.put(write, CompletableFuture.failedFuture(e)); // unavailable or contended: retried later
                }
            }
        }
        return writes.stream().map(made::get).toList();
    }

    /** One write, made unconditionally; its result is the size of the item it replaced (0 when none). */
    private KeyChange<Long> change(Write write) {
        TableDefinition table = write.table();
        return new KeyChange<>(table.itemKeyspace(), new ItemKeys(table).storageKey(write.key()), current -> {
            long size = items.live(table, current).map(ItemSize::of).orElse(0L);
            if (write.item().isPresent()) {
                return Mutation.put(StoredItems.encode(write.item().get()), size);
            }
            return Mutation.delete(size); // a tombstone even when absent here: see ItemOperations.deleteItem
        });
    }

    private static JsonNode requestItems(RequestFields request) {
        JsonNode requestItems = request.map("RequestItems")
                .orElseThrow(() -> request.constraint("RequestItems", null, "Member must not be null"));
        if (requestItems.isEmpty()) {
            throw request.constraint("RequestItems", "{}", "Member must have length greater than or equal to 1");
        }
        return requestItems;
    }
}
