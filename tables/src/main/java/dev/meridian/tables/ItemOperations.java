package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.Mutation;
import dev.meridian.tables.expr.ConditionExpression;
import dev.meridian.tables.expr.ExpressionAttributes;
import dev.meridian.tables.expr.ProjectionExpression;
import dev.meridian.tables.expr.UpdateExpression;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.keys.ItemSize;
import dev.meridian.tables.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** PutItem, GetItem, UpdateItem and DeleteItem: single-item reads and conditional read-modify-writes. */
final class ItemOperations {
    private static final List<String> ALL_RETURN_VALUES = List.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");

    private final Fabric fabric;
    private final TableCatalog catalog;
    private final StoredItems items;
    private final TableWriters writers;

    ItemOperations(Fabric fabric, TableCatalog catalog, StoredItems items, TableWriters writers) {
        this.fabric = fabric;
        this.catalog = catalog;
        this.items = items;
        this.writers = writers;
    }

    /** The state of an item before and after one write (each empty when there was or is no item). */
    private record Change(Optional<Map<String, AttributeValue>> before, Optional<Map<String, AttributeValue>> after) {
        long largestSize() {
            return Math.max(before.map(ItemSize::of).orElse(0L), after.map(ItemSize::of).orElse(0L));
        }
    }

    JsonNode putItem(RequestFields request) {
        String tableName = TableNames.of(request);
        Map<String, AttributeValue> item = ItemJson.readItem(
                request.map("Item").orElseThrow(() -> request.constraint("Item", null, "Member must not be null")));
        String returnValues = returnValues(request, true);
        Capacity capacity = Capacity.requested(request);
        WriteCondition condition = WriteCondition.of(request);
        TableDefinition table = catalog.require(tableName);
        ItemKeys keys = new ItemKeys(table);
        keys.checkItem(item);
        checkSize(item, "Item size has exceeded the maximum allowed size");
        Change change = writers.of(table).mutate(table.itemKeyspace(), keys.storageKey(item), current -> {
            Optional<Map<String, AttributeValue>> before = items.live(table, current);
            condition.check(before);
            return Mutation.put(StoredItems.encode(item), new Change(before, Optional.of(item)));
        });
        return writeResponse(capacity, table, change, returnValues.equals("ALL_OLD") ? change.before() : Optional.empty());
    }

    JsonNode deleteItem(RequestFields request) {
        String tableName = TableNames.of(request);
        JsonNode keyJson = requiredKey(request);
        String returnValues = returnValues(request, true);
        Capacity capacity = Capacity.requested(request);
        WriteCondition condition = WriteCondition.of(request);
        TableDefinition table = catalog.require(tableName);
        ItemKeys keys = new ItemKeys(table);
        Map<String, AttributeValue> key = keys.readKey(keyJson);
        Change change = writers.of(table).mutate(table.itemKeyspace(), keys.storageKey(key), current -> {
            Optional<Map<String, AttributeValue>> before = items.live(table, current);
            condition.check(before);
            // A tombstone even when the item is absent here: a write made earlier elsewhere may not have arrived yet,
            // and must not come back when it does (last-writer-wins orders it before this delete).
            return Mutation.delete(new Change(before, Optional.empty()));
        });
        return writeResponse(capacity, table, change, returnValues.equals("ALL_OLD") ? change.before() : Optional.empty());
    }

    JsonNode updateItem(RequestFields request) {
        String tableName = TableNames.of(request);
        JsonNode keyJson = requiredKey(request);
        String returnValues = returnValues(request, false);
        Capacity capacity = Capacity.requested(request);
        ExpressionAttributes attributes = RequestExpressions.attributes(request);
        Optional<UpdateExpression> update = request.string("UpdateExpression")
                .map(text -> UpdateExpression.parse(text, attributes));
        WriteCondition condition = WriteCondition.of(request, attributes);
        attributes.checkAllUsed();
        TableDefinition table = catalog.require(tableName);
        ItemKeys keys = new ItemKeys(table);
        Map<String, AttributeValue> key = keys.readKey(keyJson);
        Set<String> updated = update.map(UpdateExpression::updatedAttributes).orElse(Set.of());
        updated.stream().filter(keys::isKey).findFirst().ifPresent(name -> {
            throw TablesException.validation("One or more parameter values were invalid: Cannot update attribute "
                    + name + ". This attribute is part of the key");
        });
        Change change = writers.of(table).mutate(table.itemKeyspace(), keys.storageKey(key), current -> {
            Optional<Map<String, AttributeValue>> before = items.live(table, current);
            condition.check(before);
            Map<String, AttributeValue> base = before.orElse(key);
            Map<String, AttributeValue> after = update.map(u -> u.apply(base)).orElse(base);
            checkSize(after, "Item size to update has exceeded the maximum allowed size");
            return Mutation.put(StoredItems.encode(after), new Change(before, Optional.of(after)));
        });
        Optional<Map<String, AttributeValue>> returned = switch (returnValues) {
            case "ALL_OLD" -> change.before();
            case "ALL_NEW" -> change.after();
            case "UPDATED_OLD" -> change.before().map(item -> only(item, updated));
            case "UPDATED_NEW" -> change.after().map(item -> only(item, updated));
            default -> Optional.empty();
        };
        return writeResponse(capacity, table, change, returned);
    }

    JsonNode getItem(RequestFields request) {
        String tableName = TableNames.of(request);
        JsonNode keyJson = requiredKey(request);
        boolean consistent = request.bool("ConsistentRead").orElse(false);
        Capacity capacity = Capacity.requested(request);
        ExpressionAttributes attributes = RequestExpressions.attributes(request);
        Optional<ProjectionExpression> projection = request.string("ProjectionExpression")
                .map(text -> ProjectionExpression.parse(text, attributes));
        attributes.checkAllUsed();
        TableDefinition table = catalog.require(tableName);
        ItemKeys keys = new ItemKeys(table);
        Map<String, AttributeValue> key = keys.readKey(keyJson);
        writers.beforeRead(table, consistent);
        Optional<Map<String, AttributeValue>> item = items.live(table, fabric.get(table.itemKeyspace(), keys.storageKey(key)));
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        item.ifPresent(found -> response.set("Item", ItemJson.writeItem(projection.map(p -> p.project(found)).orElse(found))));
        long size = item.map(ItemSize::of).orElse(0L);
        return capacity.addTo(response, table.name(), Capacity.readUnits(size, consistent));
    }

    static JsonNode requiredKey(RequestFields request) {
        return request.map("Key").orElseThrow(() -> request.constraint("Key", null, "Member must not be null"));
    }

    static void checkSize(Map<String, AttributeValue> item, String message) {
        if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
            throw TablesException.validation(message);
        }
    }

    /** ReturnValues, which PutItem and DeleteItem limit to NONE and ALL_OLD. */
    private static String returnValues(RequestFields request, boolean oldOnly) {
        String value = request.enumeration("ReturnValues", ALL_RETURN_VALUES).orElse("NONE");
        if (oldOnly && !value.equals("NONE") && !value.equals("ALL_OLD")) {
            throw TablesException.validation("ReturnValues can only be ALL_OLD or NONE");
        }
        return value;
    }

    private static Map<String, AttributeValue> only(Map<String, AttributeValue> item, Set<String> names) {
        var selected = new LinkedHashMap<String, AttributeValue>();
        item.forEach((name, value) -> {
            if (names.contains(name)) {
                selected.put(name, value);
            }
        });
        return selected;
    }

    /** The response of a write; everything it reads from the request was checked before the write was made. */
    private static JsonNode writeResponse(Capacity capacity, TableDefinition table, Change change,
            Optional<Map<String, AttributeValue>> returned) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        returned.filter(item -> !item.isEmpty()).ifPresent(item -> response.set("Attributes", ItemJson.writeItem(item)));
        return capacity.addTo(response, table.name(), Capacity.writeUnits(change.largestSize()));
    }

    /** A write's ConditionExpression and what to return when it fails, parsed before the item is locked. */
    private record WriteCondition(Optional<ConditionExpression> expression, boolean returnOldOnFailure) {
        private static final List<String> ON_FAILURE = List.of("ALL_OLD", "NONE");

        static WriteCondition of(RequestFields request) {
            ExpressionAttributes attributes = RequestExpressions.attributes(request);
            WriteCondition condition = of(request, attributes);
            attributes.checkAllUsed();
            return condition;
        }

        static WriteCondition of(RequestFields request, ExpressionAttributes attributes) {
            boolean returnOld = request.enumeration("ReturnValuesOnConditionCheckFailure", ON_FAILURE)
                    .map("ALL_OLD"::equals).orElse(false);
            return new WriteCondition(request.string("ConditionExpression")
                    .map(text -> ConditionExpression.parse(text, attributes)), returnOld);
        }

        void check(Optional<Map<String, AttributeValue>> current) {
            if (expression.isPresent() && !expression.get().test(current.orElse(Map.of()))) {
                throw new TablesException(DynamoError.CONDITIONAL_CHECK_FAILED, "The conditional request failed",
                        returnOldOnFailure ? current.orElse(null) : null);
            }
        }
    }
}
