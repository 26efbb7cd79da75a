package dev.meridian.tables.expr;

import dev.meridian.tables.TablesException;
import dev.meridian.tables.model.AttributeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and rewrites values at document paths inside an item. Values are immutable, so a rewrite copies the maps and
 * lists along the path and shares everything else.
 */
final class DocumentTree {
    static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";

    private DocumentTree() {}

    /** The value at {@code path}, or empty when any step is missing or has the wrong type. */
    static Optional<AttributeValue> get(Map<String, AttributeValue> item, DocumentPath path) {
        AttributeValue current = item.get(path.attribute());
        for (int i = 1; i < path.size() && current != null; i++) {
            current = child(current, path.step(i));
        }
        return Optional.ofNullable(current);
    }

    /** The child of {@code container} at {@code step}, or null when there is none. */
    static AttributeValue child(AttributeValue container, DocumentPath.Step step) {
        if (step instanceof DocumentPath.Key key && container instanceof AttributeValue.M map) {
            return map.value().get(key.name());
        }
        if (step instanceof DocumentPath.Index index && container instanceof AttributeValue.L list) {
            return index.index() < list.value().size() ? list.value().get(index.index()) : null;
        }
        return null;
    }

    /**
     * Replaces the value at {@code path} with {@code change.apply(old)} (old is null when absent; a null result
     * removes it). A list index past the end appends.
     *
     * @throws TablesException when a step before the last is missing or is not a map or list as the path needs
     */
    static Map<String, AttributeValue> update(Map<String, AttributeValue> item, DocumentPath path,
                                              UnaryOperator<AttributeValue> change) {
        return ((AttributeValue.M) updateIn(new AttributeValue.M(item), path, 0, change)).value();
    }

    private static AttributeValue updateIn(AttributeValue container, DocumentPath path, int depth,
                                           UnaryOperator<AttributeValue> change) {
        DocumentPath.Step step = path.step(depth);
        AttributeValue old = child(container, step);
        boolean last = depth == path.size() - 1;
        if (!last && old == null) {
            throw TablesException.validation(INVALID_PATH);
        }
        AttributeValue replacement = last ? change.apply(old) : updateIn(old, path, depth + 1, change);
        if (container instanceof AttributeValue.M map && step instanceof DocumentPath.Key key) {
            return withKey(map, key.name(), replacement);
        }
        if (container instanceof AttributeValue.L list && step instanceof DocumentPath.Index index) {
            return withIndex(list, index.index(), replacement);
        }
        throw TablesException.validation(INVALID_PATH);
    }

    private static AttributeValue withKey(AttributeValue.M map, String key, AttributeValue value) {
        var copy = new LinkedHashMap<>(map.value());
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new AttributeValue.M(copy);
    }

    private static AttributeValue withIndex(AttributeValue.L list, int index, AttributeValue value) {
        List<AttributeValue> copy = new ArrayList<>(list.value());
        if (index >= copy.size()) {
            if (value != null) {
                copy.add(value);
            }
        } else if (value == null) {
            copy.remove(index);
        } else {
            copy.set(index, value);
        }
        return new AttributeValue.L(copy);
    }
}
