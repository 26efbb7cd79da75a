package dev.meridian.tables;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.fabric.Record;
import dev.meridian.tables.expr.ConditionExpression;
import dev.meridian.tables.expr.ExpressionAttributes;
import dev.meridian.tables.expr.ProjectionExpression;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.keys.ItemSize;
import dev.meridian.tables.model.AttributeValue;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The paging part shared by Query and Scan: reads items in key order until Limit items or 1 MB have been evaluated,
 * then applies the FilterExpression (after the limit, as DynamoDB does), the projection and Select.
 */
final class PageRead {
    static final long MAX_PAGE_BYTES = 1024 * 1024;
    private static final List<String> SELECTS = List.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private final Optional<ConditionExpression> filter;
    private final Optional<ProjectionExpression> projection;
    private final boolean countOnly;
    private final long limit;
    private final boolean consistent;
    private final Capacity capacity;

    private PageRead(Optional<ConditionExpression> filter, Optional<ProjectionExpression> projection, boolean countOnly,
            long limit, boolean consistent, Capacity capacity) {
        this.filter = filter;
        this.projection = projection;
        this.countOnly = countOnly;
        this.limit = limit;
        this.consistent = consistent;
        this.capacity = capacity;
    }

    boolean consistent() {
        return consistent;
    }

    /** Reads FilterExpression, ProjectionExpression, Select, Limit, ConsistentRead and ReturnConsumedCapacity. */
    static PageRead of(RequestFields request, ExpressionAttributes attributes) {
        if (request.has("IndexName")) {
            throw TablesException.validation("Secondary indexes are not supported yet; IndexName cannot be used");
        }
        Optional<ProjectionExpression> projection = request.string("ProjectionExpression")
                .map(text -> ProjectionExpression.parse(text, attributes));
        String select = request.enumeration("Select", SELECTS)
                .orElse(projection.isPresent() ? "SPECIFIC_ATTRIBUTES" : "ALL_ATTRIBUTES");
        checkSelect(select, projection.isPresent());
        Optional<ConditionExpression> filter = request.string("FilterExpression")
                .map(text -> ConditionExpression.parse(text, attributes, "FilterExpression"));
        long limit = request.integer("Limit").orElse(Long.MAX_VALUE);
        if (limit < 1) {
            throw request.constraint("Limit", limit, "Member must have value greater than or equal to 1");
        }
        return new PageRead(filter, projection, select.equals("COUNT"), limit,
                request.bool("ConsistentRead").orElse(false), Capacity.requested(request));
    }

    private static void checkSelect(String select, boolean hasProjection) {
        if (select.equals("ALL_PROJECTED_ATTRIBUTES")) {
            throw TablesException.validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
        }
        if (hasProjection && !select.equals("SPECIFIC_ATTRIBUTES")) {
            throw TablesException.validation("Cannot specify the ProjectionExpression when choosing to get "
                    + (select.equals("COUNT") ? "only the Count" : select));
        }
        if (!hasProjection && select.equals("SPECIFIC_ATTRIBUTES")) {
            throw TablesException.validation(
                    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
    }

    /**
     * Reads one page from {@code records}, skipping expired items and those {@code inSegment} rejects (neither is
     * evaluated), and renders the Query/Scan response.
     */
    ObjectNode read(TableDefinition table, Iterator<Record> records, StoredItems stored,
            Predicate<Map<String, AttributeValue>> inSegment) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode found = JsonNodeFactory.instance.arrayNode();
        long scanned = 0;
        long count = 0;
        long bytes = 0;
        Map<String, AttributeValue> last = null;
        boolean stopped = false;
        while (records.hasNext() && !stopped) {
            Map<String, AttributeValue> item = StoredItems.decode(records.next().value());
            if (stored.isExpired(table, item) || !inSegment.test(item)) {
                continue;
            }
            scanned++;
            bytes += ItemSize.of(item);
            last = item;
            if (filter.map(f -> f.test(item)).orElse(true)) {
                count++;
                if (!countOnly) {
                    found.add(ItemJson.writeItem(projection.map(p -> p.project(item)).orElse(item)));
                }
            }
            stopped = scanned >= limit || bytes >= MAX_PAGE_BYTES;
        }
        if (!countOnly) {
            response.set("Items", found);
        }
        response.put("Count", count).put("ScannedCount", scanned);
        if (stopped) {
            response.set("LastEvaluatedKey", ItemJson.writeItem(new ItemKeys(table).keyOf(last)));
        }
        return capacity.addTo(response, table.name(), Capacity.readUnits(bytes, consistent));
    }
}
