package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.tables.TableDefinition.KeyAttribute;
import dev.meridian.tables.expr.ExpressionAttributes;
import dev.meridian.tables.expr.KeyConditionExpression;
import dev.meridian.tables.expr.KeyConditionExpression.RangeCondition;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.keys.KeyBytes;
import dev.meridian.tables.model.AttributeValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Query and Scan. A Query is one range scan of the fabric: the partition prefix narrowed by the sort key condition,
 * whose byte order is DynamoDB's order, so no sorting happens here.
 */
final class QueryOperations {
    private static final int MAX_SEGMENTS = 1_000_000;

    private final Fabric fabric;
    private final TableCatalog catalog;
    private final StoredItems items;
    private final TableWriters writers;

    QueryOperations(Fabric fabric, TableCatalog catalog, StoredItems items, TableWriters writers) {
        this.fabric = fabric;
        this.catalog = catalog;
        this.items = items;
        this.writers = writers;
    }

    /** A half-open range of storage keys; a null end is unbounded. */
    private record KeyRange(byte[] from, byte[] to) {
        KeyRange startingAfter(byte[] key) {
            byte[] after = KeyBytes.after(key);
            return Arrays.compareUnsigned(after, from) > 0 ? new KeyRange(after, to) : this;
        }

        KeyRange endingBefore(byte[] key) {
            return to == null || Arrays.compareUnsigned(key, to) < 0 ? new KeyRange(from, key) : this;
        }
    }

    JsonNode query(RequestFields request) {
        String tableName = TableNames.of(request);
        ExpressionAttributes attributes = RequestExpressions.attributes(request);
        String keyCondition = request.string("KeyConditionExpression").orElseThrow(() -> TablesException.validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."));
        PageRead page = PageRead.of(request, attributes);
        boolean forward = request.bool("ScanIndexForward").orElse(true);
        Optional<JsonNode> startKey = request.map("ExclusiveStartKey");
        TableDefinition table = catalog.require(tableName);
        KeyConditionExpression condition = KeyConditionExpression.parse(keyCondition, attributes, table.hash().name(),
                table.range().map(KeyAttribute::name).orElse(null));
        attributes.checkAllUsed();
        checkType(table.hash(), condition.hashValue());
        byte[] partition = KeyBytes.partition(condition.hashValue());
        KeyRange range = condition.range()
                .map(c -> sortRange(partition, table.range().orElseThrow(), c))
                .orElseGet(() -> new KeyRange(partition, KeyBytes.prefixEnd(partition)));
        if (startKey.isPresent()) {
            Map<String, AttributeValue> start = startKey(table, startKey.get());
            if (!start.get(table.hash().name()).equals(condition.hashValue())) {
                throw TablesException.validation(
                        "The provided starting key is outside query boundaries based on provided conditions");
            }
            byte[] key = new ItemKeys(table).storageKey(start);
            range = forward ? range.startingAfter(key) : range.endingBefore(key);
        }
        writers.beforeRead(table, page.consistent());
        try (RecordCursor cursor = fabric.scan(table.itemKeyspace(), range.from(), range.to(), !forward)) {
            return page.read(table, cursor, items, item -> true);
        }
    }

    JsonNode scan(RequestFields request) {
        String tableName = TableNames.of(request);
        ExpressionAttributes attributes = RequestExpressions.attributes(request);
        PageRead page = PageRead.of(request, attributes);
        attributes.checkAllUsed();
        Segment segment = Segment.of(request);
        Optional<JsonNode> startKey = request.map("ExclusiveStartKey");
        TableDefinition table = catalog.require(tableName);
        byte[] from = startKey.map(json -> KeyBytes.after(new ItemKeys(table).storageKey(startKey(table, json))))
                .orElse(null);
        writers.beforeRead(table, page.consistent());
        try (RecordCursor cursor = fabric.scan(table.itemKeyspace(), from, null, false)) {
            return page.read(table, cursor, items, item -> segment.contains(item.get(table.hash().name())));
        }
    }

    private static Map<String, AttributeValue> startKey(TableDefinition table, JsonNode json) {
        Map<String, AttributeValue> start = ItemJson.readItem(json);
        new ItemKeys(table).checkKey(start, "The provided starting key is invalid: "
                + "The provided key element does not match the schema");
        return start;
    }

    private static KeyRange sortRange(byte[] partition, KeyAttribute sortKey, RangeCondition condition) {
        checkType(sortKey, condition.first());
        byte[] first = KeyBytes.concat(partition, KeyBytes.value(condition.first()));
        byte[] partitionEnd = KeyBytes.prefixEnd(partition);
        return switch (condition.op()) {
            case EQ -> new KeyRange(first, KeyBytes.after(first));
            case LT -> new KeyRange(partition, first);
            case LE -> new KeyRange(partition, KeyBytes.after(first));
            case GT -> new KeyRange(KeyBytes.after(first), partitionEnd);
            case GE -> new KeyRange(first, partitionEnd);
            case BEGINS_WITH -> new KeyRange(first, Optional.ofNullable(KeyBytes.prefixEnd(first)).orElse(partitionEnd));
            case BETWEEN -> {
                checkType(sortKey, condition.second());
                byte[] second = KeyBytes.concat(partition, KeyBytes.value(condition.second()));
                if (Arrays.compareUnsigned(first, second) > 0) {
                    throw TablesException.validation("Invalid KeyConditionExpression: The BETWEEN operator requires "
                            + "upper bound to be greater than or equal to lower bound; lower bound operand: "
                            + "AttributeValue: {" + operand(condition.first()) + "}, upper bound operand: "
                            + "AttributeValue: {" + operand(condition.second()) + "}");
                }
                yield new KeyRange(first, KeyBytes.after(second));
            }
        };
    }

    private static String operand(AttributeValue value) {
        return value.type() + ":" + ItemJson.writeValue(value).get(value.type()).asText();
    }

    private static void checkType(KeyAttribute key, AttributeValue value) {
        if (!value.type().equals(key.type())) {
            throw TablesException.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    /** Segment and TotalSegments of a parallel Scan: an item belongs to the segment its partition key hashes to. */
    private record Segment(int segment, int total) {
        static Segment of(RequestFields request) {
            Optional<Long> segment = request.integer("Segment");
            Optional<Long> total = request.integer("TotalSegments");
            if (total.isPresent() && (total.get() < 1 || total.get() > MAX_SEGMENTS)) {
                throw request.constraint("TotalSegments", total.get(), total.get() < 1
                        ? "Member must have value greater than or equal to 1"
                        : "Member must have value less than or equal to " + MAX_SEGMENTS);
            }
            if (segment.isPresent() && segment.get() < 0) {
                throw request.constraint("Segment", segment.get(), "Member must have value greater than or equal to 0");
            }
            if (segment.isPresent() != total.isPresent()) {
                throw TablesException.validation(segment.isPresent()
                        ? "The TotalSegments parameter is required but was not present in the request when Segment parameter is present"
                        : "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
            }
            if (segment.isPresent() && segment.get() >= total.get()) {
                throw TablesException.validation("The Segment parameter is zero-based and must be less than parameter "
                        + "TotalSegments: Segment: " + segment.get() + " is not less than TotalSegments: " + total.get());
            }
            return new Segment(segment.orElse(0L).intValue(), total.orElse(1L).intValue());
        }

        boolean contains(AttributeValue partitionKey) {
            return total == 1 || Math.floorMod(hash(KeyBytes.value(partitionKey)), total) == segment;
        }

        /** FNV-1a: stable across processes and releases, so a segment's paging never shifts under a client. */
        private static int hash(byte[] bytes) {
            int h = 0x811C9DC5;
            for (byte b : bytes) {
                h = (h ^ (b & 0xFF)) * 0x01000193;
            }
            return h;
        }
    }
}
