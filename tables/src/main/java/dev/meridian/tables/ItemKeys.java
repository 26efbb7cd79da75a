package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tables.TableDefinition.KeyAttribute;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.keys.ItemSize;
import dev.meridian.tables.keys.KeyBytes;
import dev.meridian.tables.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table's key rules: which attributes form the key, their types and limits, and the storage key they make. */
final class ItemKeys {
    static final int MAX_HASH_BYTES = 2048;
    static final int MAX_RANGE_BYTES = 1024;
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String SCHEMA_MISMATCH = "The provided key element does not match the schema";

    private final TableDefinition table;
    private final List<KeyAttribute> attributes;

    ItemKeys(TableDefinition table) {
        this.table = table;
        this.attributes = table.range().isPresent() ? List.of(table.hash(), table.range().get()) : List.of(table.hash());
    }

    boolean isKey(String attribute) {
        return attributes.stream().anyMatch(k -> k.name().equals(attribute));
    }

    /** Checks that a whole item carries the key attributes with their declared types and within their limits. */
    void checkItem(Map<String, AttributeValue> item) {
        for (KeyAttribute key : attributes) {
            AttributeValue value = item.get(key.name());
            if (value == null) {
                throw TablesException.validation(INVALID + "Missing the key " + key.name() + " in the item");
            }
            if (!value.type().equals(key.type())) {
                throw TablesException.validation(INVALID + "Type mismatch for key " + key.name() + " expected: "
                        + key.type() + " actual: " + value.type());
            }
            checkValue(key, value);
        }
    }

    /** Reads a Key parameter, which must name exactly the key attributes with their declared types. */
    Map<String, AttributeValue> readKey(JsonNode json) {
        Map<String, AttributeValue> key = ItemJson.readItem(json);
        checkKey(key, SCHEMA_MISMATCH);
        return key;
    }

    /** Checks a key map (a Key or an ExclusiveStartKey), failing with {@code mismatch} when it is not the schema. */
    void checkKey(Map<String, AttributeValue> key, String mismatch) {
        if (key.size() != attributes.size()) {
            throw TablesException.validation(mismatch);
        }
        for (KeyAttribute attribute : attributes) {
            AttributeValue value = key.get(attribute.name());
            if (value == null || !value.type().equals(attribute.type())) {
                throw TablesException.validation(mismatch);
            }
            checkValue(attribute, value);
        }
    }

    /** The key attributes of an item, in schema order. */
    Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        var key = new LinkedHashMap<String, AttributeValue>();
        attributes.forEach(k -> key.put(k.name(), item.get(k.name())));
        return key;
    }

    /** The fabric key of the item (or key map) {@code item}. */
    byte[] storageKey(Map<String, AttributeValue> item) {
        return KeyBytes.item(item.get(table.hash().name()), table.range().map(r -> item.get(r.name())).orElse(null));
    }

    private void checkValue(KeyAttribute key, AttributeValue value) {
        if (value instanceof AttributeValue.S s && s.value().isEmpty()) {
            throw emptyKey("string", key);
        }
        if (value instanceof AttributeValue.B b && b.value().length == 0) {
            throw emptyKey("binary", key);
        }
        boolean isHash = key.equals(table.hash());
        long size = ItemSize.of(value);
        if (isHash && size > MAX_HASH_BYTES) {
            // DynamoDB's text has no space before the number.
            throw TablesException.validation(INVALID + "Size of hashkey has exceeded the maximum size limit of"
                    + MAX_HASH_BYTES + " bytes");
        }
        if (!isHash && size > MAX_RANGE_BYTES) {
            throw TablesException.validation(INVALID + "Aggregated size of all range keys has exceeded the size limit of "
                    + MAX_RANGE_BYTES + " bytes");
        }
    }

    private static TablesException emptyKey(String kind, KeyAttribute key) {
        return TablesException.validation("One or more parameter values are not valid. The AttributeValue for a key "
                + "attribute cannot contain an empty " + kind + " value. Key: " + key.name());
    }
}
