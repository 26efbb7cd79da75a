package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.fabric.Fabric;
import dev.meridian.fabric.FabricStatus;
import dev.meridian.fabric.Record;
import dev.meridian.fabric.RecordCursor;
import dev.meridian.tables.TableDefinition.KeyAttribute;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.keys.ItemSize;
import dev.meridian.tables.model.AttributeValue;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTimeToLive and DescribeTimeToLive. */
final class TableOperations {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final List<String> KEY_TYPES = List.of("HASH", "RANGE");
    private static final List<String> ATTRIBUTE_TYPES = List.of("B", "N", "S");
    private static final List<String> BILLING_MODES = List.of("PROVISIONED", "PAY_PER_REQUEST");
    private static final int MAX_LIST_LIMIT = 100;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Fabric fabric;
    private final TableCatalog catalog;
    private final StoredItems items;
    private final TableWriters writers;
    private final Clock clock;

    TableOperations(Fabric fabric, TableCatalog catalog, StoredItems items, TableWriters writers, Clock clock) {
        this.fabric = fabric;
        this.catalog = catalog;
        this.items = items;
        this.writers = writers;
        this.clock = clock;
    }

    JsonNode createTable(RequestFields request) {
        String name = TableNames.of(request);
        Map<String, String> definitions = attributeDefinitions(request);
        List<KeyAttribute> keys = keySchema(request, definitions);
        if (request.has("GlobalSecondaryIndexes") || request.has("LocalSecondaryIndexes")) {
            throw TablesException.validation("Secondary indexes are not supported yet: "
                    + "create the table without GlobalSecondaryIndexes and LocalSecondaryIndexes");
        }
        String billingMode = request.enumeration("BillingMode", BILLING_MODES).orElse("PROVISIONED");
        long[] throughput = throughput(request, billingMode);
        var table = new TableDefinition(name, UUID.randomUUID().toString(), keys.get(0),
                keys.size() > 1 ? Optional.of(keys.get(1)) : Optional.empty(), clock.millis(), billingMode,
                throughput[0], throughput[1], Optional.empty(), false);
        catalog.create(table);
        return wrap(describe(table, "ACTIVE", 0, 0));
    }

    JsonNode describeTable(RequestFields request) {
        TableDefinition table = catalog.requireForTableOperation(TableNames.of(request));
        long[] stats = stats(table);
        ObjectNode response = NODES.objectNode();
        response.set("Table", describe(table, "ACTIVE", stats[0], stats[1]));
        return response;
    }

    JsonNode deleteTable(RequestFields request) {
        String name = TableNames.of(request);
        long[] stats = stats(catalog.requireForTableOperation(name));
        return wrap(describe(catalog.delete(name), "DELETING", stats[0], stats[1]));
    }

    JsonNode listTables(RequestFields request) {
        Optional<String> start = request.string("ExclusiveStartTableName");
        start.ifPresent(name -> TableNames.check(request, "ExclusiveStartTableName", name));
        long limit = request.integer("Limit").orElse((long) MAX_LIST_LIMIT);
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw request.constraint("Limit", limit, limit < 1
                    ? "Member must have value greater than or equal to 1"
                    : "Member must have value less than or equal to " + MAX_LIST_LIMIT);
        }
        List<String> names = catalog.names(start.orElse(null), (int) limit + 1);
        ObjectNode response = NODES.objectNode();
        ArrayNode tableNames = response.putArray("TableNames");
        names.stream().limit(limit).forEach(tableNames::add);
        if (names.size() > limit) {
            response.put("LastEvaluatedTableName", names.get((int) limit - 1));
        }
        return response;
    }

    /**
     * UpdateTable. Meridian's tables are already global tables with a replica in every region, so what it changes is
     * the MultiRegionConsistency: STRONG makes the table's writes agreed through the strong log. As in DynamoDB the
     * table must be empty then, and the mode never changes back. ReplicaUpdates may only name regions of this
     * deployment (a no-op); GlobalTableWitnessUpdates are taken as given by the deployment's witness.
     */
    JsonNode updateTable(RequestFields request) {
        String name = TableNames.of(request);
        Optional<String> consistency = request.enumeration("MultiRegionConsistency", List.of("EVENTUAL", "STRONG"));
        for (String unsupported : List.of("AttributeDefinitions", "BillingMode", "ProvisionedThroughput",
                "GlobalSecondaryIndexUpdates", "StreamSpecification", "SSESpecification", "TableClass",
                "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput")) {
            if (request.has(unsupported)) {
                throw TablesException.validation("UpdateTable with " + unsupported + " is not supported by Meridian;"
                        + " only MultiRegionConsistency can be changed");
            }
        }
        checkReplicaUpdates(request);
        TableDefinition table = catalog.requireForTableOperation(name);
        if (consistency.isEmpty() || consistency.get().equals(table.multiRegionConsistency())) {
            long[] stats = stats(table);
            return wrap(describe(table, "ACTIVE", stats[0], stats[1]));
        }
        if (table.strong()) {
            throw TablesException.validation("The consistency mode of a global table cannot be changed after it is set"
                    + " to STRONG");
        }
        if (!writers.strongAvailable()) {
            throw TablesException.validation("MultiRegionConsistency STRONG needs the control plane: configure a"
                    + " control section in every region (three regions, or two and a witness)");
        }
        TableDefinition strong = catalog.update(name, current -> {
            if (current.ttlAttribute().isPresent()) {
                throw TablesException.validation("Time to Live is not supported on tables with MultiRegionConsistency"
                        + " STRONG: disable it first");
            }
            if (hasItems(current)) {
                throw TablesException.validation("The table must be empty to set MultiRegionConsistency to STRONG");
            }
            return current.asStrong();
        }, writers.strong());
        return wrap(describe(strong, "ACTIVE", 0, 0));
    }

    /** ReplicaUpdates may only create replicas this deployment already has in every region. */
    private void checkReplicaUpdates(RequestFields request) {
        var regions = new HashSet<>(List.of(fabric.region()));
        fabric.status().peers().forEach(peer -> regions.add(peer.name()));
        for (RequestFields update : request.structures("ReplicaUpdates").orElse(List.of())) {
            Optional<RequestFields> create = update.structure("Create");
            String region = create.flatMap(c -> c.string("RegionName")).orElse(null);
            if (create.isEmpty() || !regions.contains(region)) {
                throw TablesException.validation("ReplicaUpdates can only name this deployment's regions " + regions
                        + " with Create: every Meridian table already has a replica in each");
            }
        }
    }

    JsonNode updateTimeToLive(RequestFields request) {
        String name = TableNames.of(request);
        RequestFields spec = request.requiredStructure("TimeToLiveSpecification");
        boolean enabled = spec.bool("Enabled").orElseThrow(() -> spec.constraint("Enabled", null, "Member must not be null"));
        String attribute = spec.requiredString("AttributeName");
        if (attribute.isEmpty() || attribute.length() > 255) {
            throw spec.constraint("AttributeName", attribute, attribute.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 255");
        }
        catalog.update(name, table -> {
            if (enabled && table.strong()) {
                throw TablesException.validation("Time to Live is not supported on tables with MultiRegionConsistency"
                        + " STRONG");
            }
            if (enabled == table.ttlAttribute().isPresent()) {
                throw TablesException.validation("TimeToLive is already " + (enabled ? "enabled" : "disabled"));
            }
            return table.withTtl(enabled ? Optional.of(attribute) : Optional.empty());
        });
        ObjectNode response = NODES.objectNode();
        response.putObject("TimeToLiveSpecification").put("Enabled", enabled).put("AttributeName", attribute);
        return response;
    }

    JsonNode describeTimeToLive(RequestFields request) {
        TableDefinition table = catalog.requireForTableOperation(TableNames.of(request));
        ObjectNode response = NODES.objectNode();
        ObjectNode description = response.putObject("TimeToLiveDescription");
        description.put("TimeToLiveStatus", table.ttlAttribute().isPresent() ? "ENABLED" : "DISABLED");
        table.ttlAttribute().ifPresent(attribute -> description.put("AttributeName", attribute));
        return response;
    }

    /** AttributeDefinitions as name to type, in request order. */
    private static Map<String, String> attributeDefinitions(RequestFields request) {
        List<RequestFields> list = request.structures("AttributeDefinitions")
                .orElseThrow(() -> request.constraint("AttributeDefinitions", null, "Member must not be null"));
        var definitions = new LinkedHashMap<String, String>();
        for (RequestFields definition : list) {
            String attribute = definition.requiredString("AttributeName");
            String type = definition.enumeration("AttributeType", ATTRIBUTE_TYPES)
                    .orElseThrow(() -> definition.constraint("AttributeType", null, "Member must not be null"));
            if (definitions.put(attribute, type) != null) {
                throw TablesException.validation("Cannot have two attributes with the same name");
            }
        }
        return definitions;
    }

    /** The KeySchema checked against the definitions, with the wording DynamoDB uses for each mismatch. */
    private static List<KeyAttribute> keySchema(RequestFields request, Map<String, String> definitions) {
        List<RequestFields> schema = request.structures("KeySchema")
                .orElseThrow(() -> request.constraint("KeySchema", null, "Member must not be null"));
        if (schema.isEmpty() || schema.size() > 2) {
            throw request.constraint("KeySchema", "[]", schema.isEmpty()
                    ? "Member must have length greater than or equal to 1"
                    : "Member must have length less than or equal to 2");
        }
        var names = new ArrayList<String>();
        var types = new ArrayList<String>();
        for (RequestFields element : schema) {
            names.add(element.requiredString("AttributeName"));
            types.add(element.enumeration("KeyType", KEY_TYPES)
                    .orElseThrow(() -> element.constraint("KeyType", null, "Member must not be null")));
        }
        if (names.size() > definitions.size()) {
            throw TablesException.validation("Invalid KeySchema: Some index key attribute have no definition");
        }
        if (!definitions.keySet().containsAll(names)) {
            throw TablesException.validation(INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
                    + "Keys: " + names + ", AttributeDefinitions: " + definitions.keySet());
        }
        if (names.size() == 2 && names.get(0).equals(names.get(1))) {
            throw TablesException.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!types.get(0).equals("HASH")) {
            throw TablesException.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (types.size() == 2 && !types.get(1).equals("RANGE")) {
            throw TablesException.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (!new HashSet<>(names).containsAll(definitions.keySet())) {
            throw TablesException.validation(INVALID + "Number of attributes in KeySchema does not exactly match number "
                    + "of attributes defined in AttributeDefinitions");
        }
        return names.stream().map(n -> new KeyAttribute(n, definitions.get(n))).toList();
    }

    /** Read and write capacity units; zero for on-demand tables. */
    private static long[] throughput(RequestFields request, String billingMode) {
        Optional<RequestFields> provisioned = request.structure("ProvisionedThroughput");
        if (billingMode.equals("PAY_PER_REQUEST")) {
            if (provisioned.isPresent()) {
                throw TablesException.validation(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                        + "specified when BillingMode is PAY_PER_REQUEST");
            }
            return new long[] {0, 0};
        }
        RequestFields units = provisioned.orElseThrow(() -> TablesException.validation(INVALID
                + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"));
        return new long[] {units(units, "ReadCapacityUnits"), units(units, "WriteCapacityUnits")};
    }

    private static long units(RequestFields throughput, String member) {
        long value = throughput.integer(member)
                .orElseThrow(() -> throughput.constraint(member, null, "Member must not be null"));
        if (value < 1) {
            throw throughput.constraint(member, value, "Member must have value greater than or equal to 1");
        }
        return value;
    }

    /** Live item count and total item size, counted now (DynamoDB refreshes its figures about every six hours). */
    private long[] stats(TableDefinition table) {
        long count = 0;
        long bytes = 0;
        try (RecordCursor cursor = fabric.scan(table.itemKeyspace(), null, null, false)) {
            while (cursor.hasNext()) {
                Record record = cursor.next();
                Optional<Map<String, AttributeValue>> item = items.live(table, Optional.of(record));
                if (item.isPresent()) {
                    count++;
                    bytes += ItemSize.of(item.get());
                }
            }
        }
        return new long[] {count, bytes};
    }

    private boolean hasItems(TableDefinition table) {
        try (RecordCursor cursor = fabric.scan(table.itemKeyspace(), null, null, false)) {
            return cursor.hasNext();
        }
    }

    private static ObjectNode wrap(ObjectNode description) {
        ObjectNode response = NODES.objectNode();
        response.set("TableDescription", description);
        return response;
    }

    /** The TableDescription shape the SDKs read. */
    private ObjectNode describe(TableDefinition table, String status, long itemCount, long sizeBytes) {
        ObjectNode node = NODES.objectNode();
        ArrayNode definitions = node.putArray("AttributeDefinitions");
        ArrayNode schema = NODES.arrayNode();
        addKey(definitions, schema, table.hash(), "HASH");
        table.range().ifPresent(range -> addKey(definitions, schema, range, "RANGE"));
        node.put("TableName", table.name());
        node.set("KeySchema", schema);
        node.put("TableStatus", status);
        node.put("CreationDateTime", BigDecimal.valueOf(table.createdMillis()).movePointLeft(3));
        node.putObject("ProvisionedThroughput")
                .put("NumberOfDecreasesToday", 0)
                .put("ReadCapacityUnits", table.readCapacity())
                .put("WriteCapacityUnits", table.writeCapacity());
        node.put("TableSizeBytes", sizeBytes);
        node.put("ItemCount", itemCount);
        node.put("TableArn", "arn:aws:dynamodb:" + fabric.region() + ":000000000000:table/" + table.name());
        node.put("TableId", table.tableId());
        ObjectNode billing = node.putObject("BillingModeSummary").put("BillingMode", table.billingMode());
        if (table.billingMode().equals("PAY_PER_REQUEST")) {
            billing.put("LastUpdateToPayPerRequestDateTime", BigDecimal.valueOf(table.createdMillis()).movePointLeft(3));
        }
        node.put("DeletionProtectionEnabled", false);
        List<String> peers = fabric.status().peers().stream().map(FabricStatus.PeerStatus::name).toList();
        if (!peers.isEmpty()) {
            node.put("GlobalTableVersion", "2019.11.21");
            node.put("MultiRegionConsistency", table.multiRegionConsistency());
            ArrayNode replicas = node.putArray("Replicas");
            peers.forEach(peer -> replicas.addObject().put("RegionName", peer).put("ReplicaStatus", "ACTIVE"));
        }
        return node;
    }

    private static void addKey(ArrayNode definitions, ArrayNode schema, KeyAttribute key, String keyType) {
        definitions.addObject().put("AttributeName", key.name()).put("AttributeType", key.type());
        schema.addObject().put("AttributeName", key.name()).put("KeyType", keyType);
    }
}
