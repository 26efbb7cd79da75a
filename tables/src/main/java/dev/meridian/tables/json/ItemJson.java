package dev.meridian.tables.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import dev.meridian.tables.model.Bytes;
import dev.meridian.tables.model.Numbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * DynamoDB JSON ({@code {"S": "x"}}, {@code {"M": {...}}}, ...) to and from {@link AttributeValue}, validating
 * values with DynamoDB's own messages.
 */
public final class ItemJson {
    /** DynamoDB refuses documents nested deeper than this many levels of M and L. */
    public static final int MAX_DEPTH = 32;
    private static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ItemJson() {}

    /** Reads a map of attribute name to value: an Item, a Key, or ExpressionAttributeValues. */
    public static Map<String, AttributeValue> readItem(JsonNode map) {
        return readMap(map, 0);
    }

    public static AttributeValue readValue(JsonNode node) {
        return readValue(node, 0);
    }

    private static Map<String, AttributeValue> readMap(JsonNode map, int depth) {
        var item = new LinkedHashMap<String, AttributeValue>();
        JsonShape.map(map).properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                item.put(e.getKey(), readValue(e.getValue(), depth));
            }
        });
        return item;
    }

    private static AttributeValue readValue(JsonNode node, int depth) {
        JsonShape.structure(node);
        AttributeValue value = null;
        int types = 0;
        for (String type : TYPES) {
            JsonNode member = node.get(type);
            if (member != null && !member.isNull()) {
                value = readTyped(type, member, depth);
                types++;
            }
        }
        if (types == 0) {
            throw TablesException.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (types > 1) {
            throw TablesException.validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        }
        return value;
    }

    private static AttributeValue readTyped(String type, JsonNode member, int depth) {
        return switch (type) {
            case "S" -> new AttributeValue.S(JsonShape.string(member));
            case "N" -> new AttributeValue.N(number(JsonShape.string(member)));
            case "B" -> new AttributeValue.B(JsonShape.blob(member));
            case "BOOL" -> new AttributeValue.Bool(JsonShape.bool(member));
            case "NULL" -> {
                if (!JsonShape.bool(member)) {
                    throw TablesException.validation(INVALID + "Null attribute value types must have the value of true");
                }
                yield new AttributeValue.Null();
            }
            case "M" -> new AttributeValue.M(readMap(member, nested(depth)));
            case "L" -> {
                var values = new ArrayList<AttributeValue>();
                int inner = nested(depth);
                JsonShape.list(member).forEach(element -> values.add(readValue(element, inner)));
                yield new AttributeValue.L(values);
            }
            case "SS" -> new AttributeValue.SS(set(member, JsonShape::string, "An string set  may not be empty", " "));
            case "NS" -> new AttributeValue.NS(set(member, text -> number(JsonShape.string(text)),
                    "An number set  may not be empty", " "));
            case "BS" -> new AttributeValue.BS(set(member, blob -> new Bytes(JsonShape.blob(blob)),
                    "Binary sets should not be empty", "of type BS "));
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static int nested(int depth) {
        if (depth + 1 > MAX_DEPTH) {
            throw TablesException.validation("Nesting Levels have exceeded supported limits: "
                    + "Attributes in the item have nested levels beyond supported limit");
        }
        return depth + 1;
    }

    /**
     * Reads a set, refusing it empty or with repeated members (DynamoDB never silently collapses a set);
     * {@code typeWords} is what DynamoDB's message puts between the list and "contains" for this set type.
     */
    private static <T> Set<T> set(JsonNode member, Function<JsonNode, T> read, String emptyMessage, String typeWords) {
        var texts = new ArrayList<String>();
        var members = new LinkedHashSet<T>();
        boolean duplicate = false;
        for (JsonNode element : JsonShape.list(member)) {
            texts.add(element.asText());
            duplicate |= !members.add(read.apply(element));
        }
        if (members.isEmpty()) {
            throw TablesException.validation(INVALID + emptyMessage);
        }
        if (duplicate) {
            throw TablesException.validation(INVALID + "Input collection [" + String.join(", ", texts) + "]" + typeWords
                    + "contains duplicates.");
        }
        return members;
    }

    private static BigDecimal number(String text) {
        try {
            return Numbers.parse(text);
        } catch (Numbers.NumberRuleException e) {
            throw TablesException.validation(e.getMessage());
        }
    }

    public static ObjectNode writeItem(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((name, value) -> node.set(name, writeValue(value)));
        return node;
    }

    public static ObjectNode writeValue(AttributeValue value) {
        ObjectNode node = NODES.objectNode();
        if (value instanceof AttributeValue.S s) {
            node.put("S", s.value());
        } else if (value instanceof AttributeValue.N n) {
            node.put("N", n.text());
        } else if (value instanceof AttributeValue.B b) {
            node.put("B", Base64.getEncoder().encodeToString(b.value()));
        } else if (value instanceof AttributeValue.Bool b) {
            node.put("BOOL", b.value());
        } else if (value instanceof AttributeValue.Null) {
            node.put("NULL", true);
        } else if (value instanceof AttributeValue.M m) {
            node.set("M", writeItem(m.value()));
        } else if (value instanceof AttributeValue.L l) {
            ArrayNode list = node.putArray("L");
            l.value().forEach(element -> list.add(writeValue(element)));
        } else if (value instanceof AttributeValue.SS ss) {
            ss.value().forEach(node.putArray("SS")::add);
        } else if (value instanceof AttributeValue.NS ns) {
            ArrayNode list = node.putArray("NS");
            ns.value().forEach(n -> list.add(Numbers.format(n)));
        } else if (value instanceof AttributeValue.BS bs) {
            ArrayNode list = node.putArray("BS");
            bs.value().forEach(b -> list.add(Base64.getEncoder().encodeToString(b.value())));
        }
        return node;
    }
}
