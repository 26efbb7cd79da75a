package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.strong.StrongLog;
import dev.meridian.fabric.Fabric;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.RequestFields;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The DynamoDB JSON 1.0 API of the tables layer: answers one operation (the {@code X-Amz-Target} suffix) with its
 * response body, or throws {@link TablesException} carrying DynamoDB's error code. Thread-safe; {@link #start()}
 * starts the TTL sweeper and {@link #close()} stops it.
 */
public final class TablesService implements AutoCloseable {
    private final Map<String, Function<RequestFields, JsonNode>> operations;
    private final TtlSweeper sweeper;

    public TablesService(Fabric fabric, Clock clock) {
        this(fabric, clock, Optional.empty());
    }

    /** @param strongLog the log strong tables' writes are agreed in; empty when this region runs no control plane */
    public TablesService(Fabric fabric, Clock clock, Optional<StrongLog> strongLog) {
        var catalog = new TableCatalog(fabric);
        var items = new StoredItems(clock);
        var writers = new TableWriters(fabric, strongLog.map(log -> new StrongWrites(fabric, log)));
        var tables = new TableOperations(fabric, catalog, items, writers, clock);
        var itemOps = new ItemOperations(fabric, catalog, items, writers);
        var queries = new QueryOperations(fabric, catalog, items, writers);
        var batches = new BatchOperations(fabric, catalog, items, writers);
        this.sweeper = new TtlSweeper(fabric, catalog, items);
        this.operations = Map.ofEntries(
                Map.entry("CreateTable", tables::createTable),
                Map.entry("DescribeTable", tables::describeTable),
                Map.entry("ListTables", tables::listTables),
                Map.entry("DeleteTable", tables::deleteTable),
                Map.entry("UpdateTable", tables::updateTable),
                Map.entry("UpdateTimeToLive", tables::updateTimeToLive),
                Map.entry("DescribeTimeToLive", tables::describeTimeToLive),
                Map.entry("PutItem", itemOps::putItem),
                Map.entry("GetItem", itemOps::getItem),
                Map.entry("UpdateItem", itemOps::updateItem),
                Map.entry("DeleteItem", itemOps::deleteItem),
                Map.entry("Query", queries::query),
                Map.entry("Scan", queries::scan),
                Map.entry("BatchGetItem", batches::batchGetItem),
                Map.entry("BatchWriteItem", batches::batchWriteItem));
    }

    /**
     * Answers one request.
     *
     * @param operation the {@code X-Amz-Target} suffix, e.g. {@code PutItem}
     * @param request the parsed JSON body (null or missing reads as {@code {}})
     * @throws TablesException for anything DynamoDB would refuse, with its error code and message
     */
    public JsonNode handle(String operation, JsonNode request) {
        Function<RequestFields, JsonNode> handler = operations.get(operation);
        if (handler == null) {
            throw new TablesException(DynamoError.UNKNOWN_OPERATION, "Operation " + operation + " is not supported");
        }
        return handler.apply(RequestFields.of(request));
    }

    /**
     * The error body DynamoDB answers {@code error} with: {@code __type}, {@code message}, and, for a failed
     * condition with ReturnValuesOnConditionCheckFailure=ALL_OLD, the {@code Item} it was checked against.
     */
    public static ObjectNode errorBody(TablesException error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode()
                .put("__type", error.error().type())
                .put("message", error.getMessage());
        error.item().ifPresent(item -> body.set("Item", ItemJson.writeItem(item)));
        return body;
    }

    /** Starts deleting expired items in the background. */
    public void start() {
        sweeper.start();
    }

    @Override
    public void close() {
        sweeper.close();
    }
}
