package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ExpressionAttributeNames ({@code #n -> name}) and ExpressionAttributeValues ({@code :v -> value}) of one request,
 * recording which of them the request's expressions used. Not thread-safe: one request's thread parses its expressions.
 */
public final class ExpressionAttributes {
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();

    /**
     * @param names  ExpressionAttributeNames, or null when the request has none
     * @param values ExpressionAttributeValues, or null when the request has none
     * @throws TablesException ValidationException, as DynamoDB answers, for an empty map or a malformed key
     */
    public ExpressionAttributes(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = checked(names, "ExpressionAttributeNames", '#');
        this.values = checked(values, "ExpressionAttributeValues", ':');
    }

    /** A request that supplies neither names nor values. */
    public static ExpressionAttributes none() {
        return new ExpressionAttributes(null, null);
    }

    /**
     * Throws ValidationException, as DynamoDB does, when a supplied name or value was not used by any expression of
     * the request. Call after parsing all expressions of the request.
     */
    public void checkAllUsed() {
        requireUsed(values.keySet(), usedValues, "ExpressionAttributeValues");
        requireUsed(names.keySet(), usedNames, "ExpressionAttributeNames");
    }

    /** The name {@code ref} stands for, marking it used; empty when the request does not define it. */
    Optional<String> name(String ref) {
        String name = names.get(ref);
        if (name != null) {
            usedNames.add(ref);
        }
        return Optional.ofNullable(name);
    }

    /** The value {@code ref} stands for, marking it used; empty when the request does not define it. */
    Optional<AttributeValue> value(String ref) {
        AttributeValue value = values.get(ref);
        if (value != null) {
            usedValues.add(ref);
        }
        return Optional.ofNullable(value);
    }

    private static <V> Map<String, V> checked(Map<String, V> map, String parameter, char prefix) {
        if (map == null) {
            return Map.of();
        }
        if (map.isEmpty()) {
            throw TablesException.validation(parameter + " must not be empty");
        }
        for (String key : map.keySet()) {
            if (key == null || key.length() < 2 || key.charAt(0) != prefix) {
                throw TablesException.validation(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
        return new LinkedHashMap<>(map);
    }

    private static void requireUsed(Set<String> supplied, Set<String> used, String parameter) {
        String unused = supplied.stream().filter(key -> !used.contains(key)).collect(Collectors.joining(", "));
        if (!unused.isEmpty()) {
            throw TablesException.validation("Value provided in " + parameter + " unused in expressions: keys: {" + unused + "}");
        }
    }
}
