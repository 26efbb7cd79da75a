package dev.meridian.tables.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.core.RegionConfig;
import dev.meridian.fabric.Fabric;
import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import dev.meridian.tables.TablesService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Every operation's request body, taken from a valid one and damaged (members dropped, renamed or added, values
 * replaced with wrong types, huge numbers, bad attribute values, deep nesting, wrapped in arrays), is answered or
 * refused with a 4xx {@link TablesException}: never another exception, never a 500. A refused request changes
 * nothing: the tables and their items read the same before and after it.
 */
class RequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> TABLES = List.of("fuzz_hash", "fuzz_range", "fuzz_bin", "fuzz_new");
    private static final List<String> TYPES = List.of("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS");

    /** One valid request per shape, written with single quotes; mutations start from these. */
    private static final Map<String, List<String>> TEMPLATES = Map.ofEntries(
            Map.entry("PutItem", List.of("{'TableName':'fuzz_hash','Item':{'pk':{'S':'a'},'n':{'N':'1'},'s':{'S':'x'},"
                    + "'l':{'L':[{'N':'1'},{'S':'y'}]},'m':{'M':{'k':{'BOOL':true}}},'ss':{'SS':['a','b']},"
                    + "'ns':{'NS':['1','2.5']},'bs':{'BS':['AQID']},'b':{'B':'AQID'},'z':{'NULL':true}},"
                    + "'ConditionExpression':'attribute_not_exists(#p) OR #n < :v',"
                    + "'ExpressionAttributeNames':{'#p':'pk','#n':'n'},'ExpressionAttributeValues':{':v':{'N':'10'}},"
                    + "'ReturnValues':'ALL_OLD','ReturnConsumedCapacity':'TOTAL',"
                    + "'ReturnValuesOnConditionCheckFailure':'ALL_OLD'}",
                    "{'TableName':'fuzz_bin','Item':{'pk':{'N':'1'},'sk':{'B':'BAU='},'v':{'S':'new'}}}")),
            Map.entry("GetItem", List.of("{'TableName':'fuzz_range','Key':{'pk':{'S':'p'},'sk':{'N':'1'}},"
                    + "'ProjectionExpression':'pk, #l[0], m.k','ExpressionAttributeNames':{'#l':'l'},"
                    + "'ConsistentRead':true,'ReturnConsumedCapacity':'INDEXES'}")),
            Map.entry("UpdateItem", List.of("{'TableName':'fuzz_hash','Key':{'pk':{'S':'b'}},"
                    + "'UpdateExpression':'SET n = if_not_exists(n, :zero) + :one, "
                    + "l = list_append(if_not_exists(l, :empty), :more) REMOVE z ADD ss :set DELETE ns :nums',"
                    + "'ConditionExpression':'attribute_exists(pk) OR size(s) > :zero',"
                    + "'ExpressionAttributeValues':{':zero':{'N':'0'},':one':{'N':'1'},':empty':{'L':[]},"
                    + "':more':{'L':[{'S':'x'}]},':set':{'SS':['q']},':nums':{'NS':['2.5']}},"
                    + "'ReturnValues':'UPDATED_NEW'}",
                    "{'TableName':'fuzz_range','Key':{'pk':{'S':'p'},'sk':{'N':'2'}},"
                    + "'UpdateExpression':'SET #m.#k = :v, #l[1] = :v','ExpressionAttributeNames':{'#m':'m','#k':'k',"
                    + "'#l':'l'},'ExpressionAttributeValues':{':v':{'N':'9.9999999999999999999999999999999999999E+125'}},"
                    + "'ReturnValues':'ALL_NEW'}")),
            Map.entry("DeleteItem", List.of("{'TableName':'fuzz_range','Key':{'pk':{'S':'p'},'sk':{'N':'3'}},"
                    + "'ConditionExpression':'contains(ss, :x) OR attribute_not_exists(ss)',"
                    + "'ExpressionAttributeValues':{':x':{'S':'a'}},'ReturnValues':'ALL_OLD'}")),
            Map.entry("Query", List.of("{'TableName':'fuzz_range',"
                    + "'KeyConditionExpression':'pk = :p AND sk BETWEEN :lo AND :hi',"
                    + "'FilterExpression':'attribute_type(v, :t) AND NOT begins_with(s, :pre)',"
                    + "'ProjectionExpression':'pk, sk, v','ExpressionAttributeValues':{':p':{'S':'p'},"
                    + "':lo':{'N':'1'},':hi':{'N':'4'},':t':{'S':'S'},':pre':{'S':'zz'}},'Limit':2,"
                    + "'ScanIndexForward':false,'ExclusiveStartKey':{'pk':{'S':'p'},'sk':{'N':'4'}},"
                    + "'ReturnConsumedCapacity':'TOTAL'}",
                    "{'TableName':'fuzz_bin','KeyConditionExpression':'#h = :h AND begins_with(#r, :b)',"
                    + "'ExpressionAttributeNames':{'#h':'pk','#r':'sk'},"
                    + "'ExpressionAttributeValues':{':h':{'N':'1'},':b':{'B':'AQ=='}},'Select':'COUNT'}")),
            Map.entry("Scan", List.of("{'TableName':'fuzz_hash','FilterExpression':'n IN (:a, :b) OR s <> :c',"
                    + "'ExpressionAttributeValues':{':a':{'N':'1'},':b':{'N':'2'},':c':{'S':'x'}},'Segment':1,"
                    + "'TotalSegments':3,'Limit':10,'Select':'ALL_ATTRIBUTES','ExclusiveStartKey':{'pk':{'S':'a'}}}")),
            Map.entry("BatchWriteItem", List.of("{'RequestItems':{'fuzz_hash':["
                    + "{'PutRequest':{'Item':{'pk':{'S':'c'},'n':{'N':'3'},'ns':{'NS':['1','2']}}}},"
                    + "{'DeleteRequest':{'Key':{'pk':{'S':'d'}}}}],"
                    + "'fuzz_range':[{'PutRequest':{'Item':{'pk':{'S':'p'},'sk':{'N':'9'},'bs':{'BS':['AQID','BAU=']}}}}]},"
                    + "'ReturnConsumedCapacity':'TOTAL'}")),
            Map.entry("BatchGetItem", List.of("{'RequestItems':{'fuzz_hash':{'Keys':[{'pk':{'S':'a'}},{'pk':{'S':'b'}}],"
                    + "'ProjectionExpression':'pk, #n','ExpressionAttributeNames':{'#n':'n'},'ConsistentRead':true},"
                    + "'fuzz_bin':{'Keys':[{'pk':{'N':'1'},'sk':{'B':'AQID'}}]}},'ReturnConsumedCapacity':'TOTAL'}")),
            Map.entry("TransactWriteItems", List.of("{'TransactItems':["
                    + "{'Put':{'TableName':'fuzz_hash','Item':{'pk':{'S':'t'}}}},"
                    + "{'Update':{'TableName':'fuzz_hash','Key':{'pk':{'S':'a'}},'UpdateExpression':'SET n = :n',"
                    + "'ExpressionAttributeValues':{':n':{'N':'5'}}}},"
                    + "{'Delete':{'TableName':'fuzz_range','Key':{'pk':{'S':'p'},'sk':{'N':'1'}}}},"
                    + "{'ConditionCheck':{'TableName':'fuzz_hash','Key':{'pk':{'S':'b'}},"
                    + "'ConditionExpression':'attribute_exists(pk)'}}]}")),
            Map.entry("TransactGetItems", List.of("{'TransactItems':[{'Get':{'TableName':'fuzz_hash',"
                    + "'Key':{'pk':{'S':'a'}}}}]}")),
            Map.entry("CreateTable", List.of("{'TableName':'fuzz_new','AttributeDefinitions':["
                    + "{'AttributeName':'pk','AttributeType':'S'},{'AttributeName':'sk','AttributeType':'N'}],"
                    + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'},{'AttributeName':'sk','KeyType':'RANGE'}],"
                    + "'BillingMode':'PROVISIONED','ProvisionedThroughput':{'ReadCapacityUnits':5,'WriteCapacityUnits':5}}")),
            Map.entry("DescribeTable", List.of("{'TableName':'fuzz_hash'}")),
            Map.entry("ListTables", List.of("{'ExclusiveStartTableName':'fuzz_bin','Limit':2}")),
            Map.entry("DeleteTable", List.of("{'TableName':'fuzz_new'}")),
            Map.entry("UpdateTimeToLive", List.of("{'TableName':'fuzz_new',"
                    + "'TimeToLiveSpecification':{'Enabled':true,'AttributeName':'exp'}}")),
            Map.entry("DescribeTimeToLive", List.of("{'TableName':'fuzz_hash'}")),
            Map.entry("ExecuteStatement", List.of("{'Statement':'SELECT * FROM fuzz_hash'}")));

    /** Strings DynamoDB's parsing has decisions to make about: numbers at and past the limits, bad base64, names. */
    private static final List<String> TRICKY_STRINGS = List.of("", " ", "abc", "1", "-0", " 1 ", "1.", ".5", "+1",
            "1e999", "1e2147483647", "100e2147483647", "-100E+2147483647", "1e-2147483648", "0e-2147483648",
            "12e-2147483647", "NaN", "Infinity", "0x1F", "1_000", "9.9999999999999999999999999999999999999E+125",
            "1E+126", "1E-130", "1E-131", "1".repeat(39), "0." + "0".repeat(200) + "1", "1".repeat(1001), "AAAA",
            "AQID", "AQ==", "A===", "====", "AQI", "not base64!", "true", "null", "S", "N", "SS", "M", "L", "NULL",
            "fuzz_hash", "fuzz_range", "fuzz_bin", "fuzz_new", "ab", "x".repeat(256), "#n", ":v", ":undefined",
            "#undefined", "pk", "sk", "pk = :p", "a.b[99999999999]", "SET #n = #n + :v", "REMOVE pk",
            "attribute_exists(", "size(pk) > :v", "ALL_OLD", "UPDATED_NEW", "COUNT", "SPECIFIC_ATTRIBUTES",
            "ALL_PROJECTED_ATTRIBUTES", "PAY_PER_REQUEST", "HASH", "RANGE", "\u0000", "\uD800", "é", "\uD83D\uDE42",
            "x".repeat(1025), "x".repeat(2049), "x".repeat(410 * 1024));

    /** JSON numbers as the server's parser reads them: past long, past double, negative zero. */
    private static final List<String> TRICKY_NUMBERS = List.of("0", "-0", "1.5", "-1", "0.99", "2147483648",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890123456789012", "1e400", "-1e400", "1e-400", "4.9e-324",
            "1.7976931348623157e308", "1000001", "1000000", "25", "26", "100", "101");

    private static final List<String> MEMBER_NAMES = List.of("TableName", "Item", "Key", "RequestItems", "PutRequest",
            "DeleteRequest", "Keys", "ExpressionAttributeNames", "ExpressionAttributeValues", "ConditionExpression",
            "UpdateExpression", "KeyConditionExpression", "FilterExpression", "ProjectionExpression", "IndexName",
            "Select", "Limit", "Segment", "TotalSegments", "ExclusiveStartKey", "ReturnValues", "ConsistentRead",
            "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode", "ProvisionedThroughput",
            "TimeToLiveSpecification", "Enabled", "AttributeName", "AttributeType", "KeyType", "pk", "sk", "n", "",
            "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS", "X");

    private Path dir;
    private Fabric fabric;
    private TablesService service;

    @BeforeProperty
    void openRegion() throws IOException {
        dir = Files.createTempDirectory("request-fuzz");
        var config = new RegionConfig("us-east-1", dir, 0, 0, List.of(),
                List.of(new RegionConfig.AccessKey("key", "secret")), null).validate();
        fabric = Fabric.open(config, new SimpleMeterRegistry(), Clock.systemUTC());
        service = new TablesService(fabric, Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterProperty
    void closeRegion() throws IOException {
        service.close();
        fabric.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 1000)
    void damagedRequestsAreAnsweredOrRefusedWith4xxAndRefusalsChangeNothing(@ForAll("damagedRequests") Request request) {
        ensureFixtures();
        JsonNode before = snapshot();

        if (call(request).refused()) {
            assertUnchanged(before, request);
        }
    }

    @Property(tries = 250)
    void randomBodiesAndOperationNamesAreRefusedWith4xx(@ForAll("operations") String operation,
            @ForAll("jsonValues") JsonNode body) {
        Request request = new Request(operation, body);
        ensureFixtures();
        JsonNode before = snapshot();

        if (call(request).refused()) {
            assertUnchanged(before, request);
        }
    }

    /**
     * A BatchWriteItem whose every request is valid but one damaged one writes nothing when refused, and when
     * accepted (the damage was harmless) writes every valid request.
     */
    @Property(tries = 250)
    void batchWithOneDamagedWriteWritesAllOrNothing(@ForAll("batches") Batch batch) {
        ensureFixtures();
        JsonNode before = snapshot();

        Outcome outcome = call(new Request("BatchWriteItem", batch.body()));

        if (outcome.refused()) {
            assertUnchanged(before, batch);
            return;
        }
        assertThat(outcome.response().get("UnprocessedItems")).as("unprocessed items of %s", batch).isEmpty();
        for (Write write : batch.valid()) {
            JsonNode item = get(write.table(), write.key());
            if (write.put()) {
                assertThat(item).as("item of accepted %s", write).isEqualTo(write.item());
            } else {
                assertThat(item).as("item deleted by accepted %s", write).isNull();
            }
        }
    }

    /** A request's answer, or its refusal. */
    private record Outcome(JsonNode response, TablesException refusal) {
        boolean refused() {
            return refusal != null;
        }
    }

    /** Calls the service, checking that a refusal is a TablesException with a 4xx status. */
    private Outcome call(Request request) {
        try {
            return new Outcome(service.handle(request.operation(), request.body()), null);
        } catch (TablesException refusal) {
            assertThat(refusal.error().httpStatus())
                    .as("HTTP status of %s (%s) for %s", refusal.error(), refusal.getMessage(), request)
                    .isBetween(400, 499);
            return new Outcome(null, refusal);
        } catch (RuntimeException e) {
            throw new AssertionError("not a TablesException for " + request + ": " + e, e);
        }
    }

    // ---- the region under test ----

    private void ensureFixtures() {
        if (!exists("fuzz_hash")) {
            createTable("fuzz_hash", "pk", "S", null, null);
            for (String pk : List.of("a", "b", "c", "d", "e")) {
                put("fuzz_hash", "{'pk':{'S':'" + pk + "'},'n':{'N':'1'},'s':{'S':'x'},'l':{'L':[{'N':'1'}]},"
                        + "'m':{'M':{'k':{'S':'v'}}},'ss':{'SS':['a','b']},'ns':{'NS':['1','2.5']},"
                        + "'bs':{'BS':['AQID']},'b':{'B':'AQID'},'t':{'BOOL':false},'z':{'NULL':true}}");
            }
        }
        if (!exists("fuzz_range")) {
            createTable("fuzz_range", "pk", "S", "sk", "N");
            for (int sk = 1; sk <= 5; sk++) {
                put("fuzz_range", "{'pk':{'S':'p'},'sk':{'N':'" + sk + "'},'v':{'S':'v" + sk + "'},"
                        + "'m':{'M':{'k':{'N':'1'}}},'l':{'L':[{'S':'a'},{'S':'b'}]},'ss':{'SS':['a']}}");
            }
        }
        if (!exists("fuzz_bin")) {
            createTable("fuzz_bin", "pk", "N", "sk", "B");
            for (String sk : List.of("AQ==", "AQID", "/w==")) {
                put("fuzz_bin", "{'pk':{'N':'1'},'sk':{'B':'" + sk + "'},'v':{'N':'-1.5E-7'}}");
            }
        }
    }

    private boolean exists(String table) {
        try {
            service.handle("DescribeTable", json("{'TableName':'" + table + "'}"));
            return true;
        } catch (TablesException e) {
            if (e.error() != DynamoError.RESOURCE_NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    private void createTable(String name, String hash, String hashType, String range, String rangeType) {
        String definitions = "{'AttributeName':'" + hash + "','AttributeType':'" + hashType + "'}"
                + (range == null ? "" : ",{'AttributeName':'" + range + "','AttributeType':'" + rangeType + "'}");
        String schema = "{'AttributeName':'" + hash + "','KeyType':'HASH'}"
                + (range == null ? "" : ",{'AttributeName':'" + range + "','KeyType':'RANGE'}");
        service.handle("CreateTable", json("{'TableName':'" + name + "','BillingMode':'PAY_PER_REQUEST',"
                + "'AttributeDefinitions':[" + definitions + "],'KeySchema':[" + schema + "]}"));
    }

    private void put(String table, String item) {
        service.handle("PutItem", json("{'TableName':'" + table + "','Item':" + item + "}"));
    }

    private JsonNode get(String table, JsonNode key) {
        ObjectNode request = NODES.objectNode().put("TableName", table).put("ConsistentRead", true);
        request.set("Key", key);
        return service.handle("GetItem", request).get("Item");
    }

    /** What a refused request must leave alone: the table list, each table's description and TTL, its items. */
    private JsonNode snapshot() {
        ObjectNode state = NODES.objectNode();
        state.set("tables", service.handle("ListTables", NODES.objectNode()).get("TableNames"));
        for (String table : TABLES) {
            ObjectNode of = state.putObject(table);
            if (!exists(table)) {
                continue;
            }
            ObjectNode name = NODES.objectNode().put("TableName", table);
            of.set("description", service.handle("DescribeTable", name));
            of.set("ttl", service.handle("DescribeTimeToLive", name));
            ArrayNode items = of.putArray("items");
            JsonNode start = null;
            do {
                ObjectNode scan = name.deepCopy().put("ConsistentRead", true);
                if (start != null) {
                    scan.set("ExclusiveStartKey", start);
                }
                JsonNode page = service.handle("Scan", scan);
                items.addAll((ArrayNode) page.get("Items"));
                start = page.get("LastEvaluatedKey");
            } while (start != null);
        }
        return state;
    }

    private void assertUnchanged(JsonNode before, Object refused) {
        JsonNode after = snapshot();
        if (!after.equals(before)) {
            throw new AssertionError("refused " + refused + " changed state: " + differences(before, after));
        }
    }

    /** What changed between two snapshots: the table list, table settings, and items added, removed or changed. */
    private static List<String> differences(JsonNode before, JsonNode after) {
        var changes = new ArrayList<String>();
        if (!before.get("tables").equals(after.get("tables"))) {
            changes.add("tables " + before.get("tables") + " became " + after.get("tables"));
        }
        for (String table : TABLES) {
            JsonNode was = before.get(table);
            JsonNode is = after.get(table);
            if (!Objects.equals(was.get("ttl"), is.get("ttl"))) {
                changes.add(table + " TTL " + was.get("ttl") + " became " + is.get("ttl"));
            }
            Map<String, JsonNode> wasItems = itemsByKey(was);
            Map<String, JsonNode> isItems = itemsByKey(is);
            if (!Objects.equals(was.get("description"), is.get("description")) && wasItems.equals(isItems)) {
                changes.add(table + " " + was.get("description") + " became " + is.get("description"));
            }
            var keys = new TreeSet<>(wasItems.keySet());
            keys.addAll(isItems.keySet());
            for (String key : keys) {
                if (!Objects.equals(wasItems.get(key), isItems.get(key))) {
                    changes.add(table + " item " + key + ": " + wasItems.get(key) + " became " + isItems.get(key));
                }
            }
        }
        return changes;
    }

    private static Map<String, JsonNode> itemsByKey(JsonNode table) {
        var items = new HashMap<String, JsonNode>();
        if (table.has("items")) {
            table.get("items").forEach(item -> items.put(String.valueOf(item.get("pk")) + item.get("sk"), item));
        }
        return items;
    }

    // ---- requests ----

    /** An operation and the body sent with it. */
    record Request(String operation, JsonNode body) {
        @Override
        public String toString() {
            String text = body == null ? "null" : body.toString();
            return operation + " " + (text.length() > 2000 ? text.substring(0, 2000) + "...(" + text.length() + " chars)" : text);
        }
    }

    @Provide
    Arbitrary<Request> damagedRequests() {
        Arbitrary<String> operations = Arbitraries.of(TEMPLATES.keySet().stream().sorted().toList());
        return operations.flatMap(operation -> Combinators.combine(
                        Arbitraries.of(TEMPLATES.get(operation)),
                        mutations().list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.frequency(Tuple.of(9, operation), Tuple.of(1, "other")))
                .as((template, mutations, target) -> new Request(
                        target.equals("other") ? otherOperation(operation) : operation,
                        mutate(json(template), mutations))));
    }

    /** Sends a body to another operation than the one it was written for. */
    private static String otherOperation(String operation) {
        List<String> names = TEMPLATES.keySet().stream().sorted().toList();
        return names.get((names.indexOf(operation) + 1) % names.size());
    }

    @Provide
    Arbitrary<String> operations() {
        return Arbitraries.oneOf(Arbitraries.of(TEMPLATES.keySet()),
                Arbitraries.of("", "putitem", "PutItem ", "DynamoDB_20120810.PutItem", "UpdateTable", "TagResource"),
                Arbitraries.strings().ofMaxLength(12));
    }

    @Provide
    Arbitrary<JsonNode> jsonValues() {
        return values();
    }

    /**
     * One change to a JSON tree, applied to the node {@code target} picks among those its kind applies to. Most
     * retext a string in place: the request keeps its shape, so parsing reaches the bad value.
     */
    record Mutation(Kind kind, int target, String name, String text, JsonNode value) {
        enum Kind { RETEXT, REPLACE, DROP_MEMBER, WRAP_IN_ARRAY, WRAP_IN_TYPE, UNWRAP, RENAME_MEMBER, ADD_MEMBER,
            DUPLICATE_ELEMENT, EMPTY, DEEPEN }

        @Override
        public String toString() {
            String detail = switch (kind) {
                case RETEXT -> " '" + (text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + " chars)" : text) + "'";
                case REPLACE -> " " + value;
                case ADD_MEMBER -> " " + name + " " + value;
                case RENAME_MEMBER, WRAP_IN_TYPE -> " " + name;
                default -> "";
            };
            return kind + "@" + target + detail;
        }
    }

    private static Arbitrary<Mutation> mutations() {
        Arbitrary<Mutation.Kind> kinds = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(Mutation.Kind.RETEXT)),
                Tuple.of(4, Arbitraries.just(Mutation.Kind.REPLACE)),
                Tuple.of(9, Arbitraries.of(Mutation.Kind.class)));
        Arbitrary<String> texts = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(TRICKY_STRINGS)),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        return Combinators.combine(kinds, Arbitraries.integers().between(0, 500), Arbitraries.of(MEMBER_NAMES), texts,
                values()).as(Mutation::new);
    }

    private static JsonNode mutate(JsonNode template, List<Mutation> mutations) {
        JsonNode root = template.deepCopy();
        for (Mutation mutation : mutations) {
            root = apply(root, mutation);
        }
        return root;
    }

    /** Where a node sits: in an object member, an array element, or at the root (no parent). */
    private record Slot(JsonNode parent, String member, int index, JsonNode node) {}

    private static JsonNode apply(JsonNode root, Mutation mutation) {
        List<Slot> slots = new ArrayList<>();
        collect(null, null, -1, root, slots);
        List<Slot> candidates = slots.stream().filter(slot -> switch (mutation.kind()) {
            case RETEXT -> slot.node().isTextual();
            case DROP_MEMBER, RENAME_MEMBER -> slot.parent() != null && slot.parent().isObject();
            case ADD_MEMBER -> slot.node().isObject();
            case DUPLICATE_ELEMENT -> slot.node().isArray() && !slot.node().isEmpty();
            case UNWRAP -> slot.node().isContainerNode() && !slot.node().isEmpty();
            case EMPTY -> slot.node().isContainerNode();
            default -> true;
        }).toList();
        if (candidates.isEmpty()) {
            return root;
        }
        Slot slot = candidates.get(mutation.target() % candidates.size());
        JsonNode node = slot.node();
        return switch (mutation.kind()) {
            case DROP_MEMBER -> {
                ((ObjectNode) slot.parent()).remove(slot.member());
                yield root;
            }
            case RENAME_MEMBER -> {
                ObjectNode parent = (ObjectNode) slot.parent();
                parent.remove(slot.member());
                parent.set(mutation.name(), node);
                yield root;
            }
            case ADD_MEMBER -> {
                ((ObjectNode) node).set(mutation.name(), mutation.value());
                yield root;
            }
            case DUPLICATE_ELEMENT -> {
                ((ArrayNode) node).add(node.get(mutation.target() % node.size()).deepCopy());
                yield root;
            }
            case RETEXT -> replace(root, slot, NODES.textNode(mutation.text()));
            case REPLACE -> replace(root, slot, mutation.value());
            case WRAP_IN_ARRAY -> replace(root, slot, NODES.arrayNode().add(node));
            case WRAP_IN_TYPE -> replace(root, slot, NODES.objectNode().set(mutation.name(), node));
            case UNWRAP -> {
                Iterator<JsonNode> children = node.elements();
                yield replace(root, slot, children.next());
            }
            case EMPTY -> replace(root, slot, node.isObject() ? NODES.objectNode() : NODES.arrayNode());
            case DEEPEN -> replace(root, slot, deeplyNested(mutation.target(), node));
        };
    }

    private static void collect(JsonNode parent, String member, int index, JsonNode node, List<Slot> slots) {
        slots.add(new Slot(parent, member, index, node));
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(node, e.getKey(), -1, e.getValue(), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node, null, i, node.get(i), slots);
            }
        }
    }

    private static JsonNode replace(JsonNode root, Slot slot, JsonNode value) {
        if (slot.parent() == null) {
            return value;
        }
        if (slot.parent().isObject()) {
            ((ObjectNode) slot.parent()).set(slot.member(), value);
        } else {
            ((ArrayNode) slot.parent()).set(slot.index(), value);
        }
        return root;
    }

    /**
     * {@code node} under many levels of M, of L, or of bare arrays: past DynamoDB's 32 levels of documents, and far
     * past it for structures no parser of ours should recurse into.
     */
    private static JsonNode deeplyNested(int choice, JsonNode node) {
        JsonNode nested = node;
        int depth = switch (choice % 3) {
            case 0 -> 31 + choice % 4;
            case 1 -> 33;
            default -> 900; // the server's JSON parser refuses documents nested deeper than 1000
        };
        for (int i = 0; i < depth; i++) {
            nested = switch (choice % 3) {
                case 0 -> NODES.objectNode().set("M", NODES.objectNode().set("a", nested));
                case 1 -> NODES.objectNode().set("L", NODES.arrayNode().add(nested));
                default -> NODES.arrayNode().add(nested);
            };
        }
        return nested;
    }

    // ---- random JSON values ----

    private static Arbitrary<JsonNode> values() {
        return Arbitraries.recursive(RequestFuzzTest::scalars, RequestFuzzTest::containing, 0, 3);
    }

    private static Arbitrary<JsonNode> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(TRICKY_STRINGS).map(NODES::textNode)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(12).map(NODES::textNode)),
                Tuple.of(3, Arbitraries.of(TRICKY_NUMBERS).map(RequestFuzzTest::parse)),
                Tuple.of(1, Arbitraries.integers().map(NODES::numberNode)),
                Tuple.of(1, Arbitraries.doubles().map(NODES::numberNode)),
                Tuple.of(2, Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(),
                        NODES.objectNode(), NODES.arrayNode())));
    }

    /** Values one level deeper than {@code inner}: attribute values of every kind, good and bad, lists, maps. */
    private static Arbitrary<JsonNode> containing(Arbitrary<JsonNode> inner) {
        Arbitrary<String> types = Arbitraries.of(TYPES);
        return Arbitraries.frequencyOf(
                Tuple.of(4, Combinators.combine(types, inner).as((type, value) -> NODES.objectNode().set(type, value))),
                Tuple.of(2, Combinators.combine(types, types, inner, inner).as((t1, t2, v1, v2) ->
                        NODES.objectNode().<ObjectNode>set(t1, v1).set(t2, v2))),
                Tuple.of(2, Combinators.combine(Arbitraries.of("SS", "NS", "BS"), inner.list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 2)).as((type, members, repeats) -> {
                            ArrayNode set = NODES.arrayNode().addAll(members);
                            for (int i = 0; i < repeats && !members.isEmpty(); i++) {
                                set.add(members.get(i % members.size()).deepCopy());
                            }
                            return NODES.objectNode().set(type, set);
                        })),
                Tuple.of(2, Combinators.combine(Arbitraries.of("S", "N", "B"), Arbitraries.of(TRICKY_STRINGS))
                        .as((type, text) -> NODES.objectNode().put(type, text))),
                Tuple.of(1, Combinators.combine(Arbitraries.of("NS", "SS", "BS"), Arbitraries.of(TRICKY_STRINGS)
                        .list().ofMaxSize(3)).as((type, texts) -> {
                            ObjectNode value = NODES.objectNode();
                            texts.forEach(value.putArray(type)::add);
                            return value;
                        })),
                Tuple.of(2, inner.list().ofMaxSize(3).map(elements -> NODES.arrayNode().addAll(elements))),
                Tuple.of(2, Combinators.combine(Arbitraries.of(MEMBER_NAMES), inner).as((name, value) ->
                        NODES.objectNode().set(name, value))),
                Tuple.of(1, inner.map(value -> NODES.objectNode().set("M", NODES.objectNode().set("a", value)))),
                Tuple.of(1, inner.map(value -> NODES.objectNode().set("L", NODES.arrayNode().add(value)))));
    }

    // ---- BatchWriteItem with one damaged request ----

    /** One valid PutRequest or DeleteRequest: its table, the key it writes, and the item (null for a delete). */
    record Write(String table, JsonNode key, JsonNode item) {
        boolean put() {
            return item != null;
        }

        JsonNode request() {
            ObjectNode request = NODES.objectNode();
            if (put()) {
                request.putObject("PutRequest").set("Item", item);
            } else {
                request.putObject("DeleteRequest").set("Key", key);
            }
            return request;
        }
    }

    /** Valid writes and, at {@code position} of its table's list, one damaged write. */
    record Batch(List<Write> valid, Write damagedFrom, List<Mutation> damage, int position) {
        JsonNode body() {
            ObjectNode requestItems = NODES.objectNode();
            for (Write write : valid) {
                requestItems.withArrayProperty(write.table()).add(write.request());
            }
            ArrayNode list = requestItems.withArrayProperty(damagedFrom.table());
            list.insert(position % (list.size() + 1), mutate(damagedFrom.request(), damage));
            ObjectNode body = NODES.objectNode();
            body.set("RequestItems", requestItems);
            return body;
        }

        @Override
        public String toString() {
            return "BatchWriteItem " + body();
        }
    }

    @Provide
    Arbitrary<Batch> batches() {
        Arbitrary<Write> writes = Combinators.combine(Arbitraries.of("fuzz_hash", "fuzz_range"),
                Arbitraries.integers().between(0, 40), Arbitraries.of(true, false),
                Arbitraries.of(TYPES).flatMap(RequestFuzzTest::attributeOfType))
                .as((table, id, put, attribute) -> {
                    ObjectNode key = table.equals("fuzz_hash")
                            ? NODES.objectNode().set("pk", NODES.objectNode().put("S", "w" + id))
                            : NODES.objectNode().<ObjectNode>set("pk", NODES.objectNode().put("S", "p"))
                                    .set("sk", NODES.objectNode().put("N", Integer.toString(100 + id)));
                    ObjectNode item = key.deepCopy();
                    item.set("attr", attribute);
                    return new Write(table, key, put ? item : null);
                });
        Arbitrary<List<Write>> valid = writes.list().ofMinSize(1).ofMaxSize(8)
                .uniqueElements(write -> write.table() + write.key());
        return Combinators.combine(valid, writes, mutations().list().ofMinSize(1).ofMaxSize(2),
                Arbitraries.integers().between(0, 8)).as(Batch::new);
    }

    /** A valid, canonical attribute value of {@code type}, as GetItem returns it. */
    private static Arbitrary<JsonNode> attributeOfType(String type) {
        Arbitrary<String> text = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> number = Arbitraries.integers().between(-1000, 1000).map(String::valueOf);
        Arbitrary<String> blob = Arbitraries.of("AQID", "BAU=", "/w==", "AA==");
        Function<List<String>, ArrayNode> array = members -> {
            ArrayNode set = NODES.arrayNode();
            members.forEach(set::add);
            return set;
        };
        return switch (type) {
            case "S" -> text.map(s -> NODES.objectNode().put("S", s));
            case "N" -> number.map(n -> NODES.objectNode().put("N", n));
            case "B" -> blob.map(b -> NODES.objectNode().put("B", b));
            case "BOOL" -> Arbitraries.of(true, false).map(b -> NODES.objectNode().put("BOOL", b));
            case "NULL" -> Arbitraries.just(NODES.objectNode().put("NULL", true));
            case "M" -> text.map(s -> NODES.objectNode().set("M", NODES.objectNode().set("k",
                    NODES.objectNode().put("S", s))));
            case "L" -> number.map(n -> NODES.objectNode().set("L", NODES.arrayNode().add(
                    NODES.objectNode().put("N", n))));
            case "SS" -> text.set().ofMinSize(1).ofMaxSize(3).map(s -> NODES.objectNode().set("SS",
                    array.apply(List.copyOf(s))));
            case "NS" -> number.set().ofMinSize(1).ofMaxSize(3).map(s -> NODES.objectNode().set("NS",
                    array.apply(List.copyOf(s))));
            default -> blob.set().ofMinSize(1).ofMaxSize(3).map(s -> NODES.objectNode().set("BS",
                    array.apply(List.copyOf(s))));
        };
    }

    // ---- JSON ----

    private static JsonNode json(String singleQuoted) {
        return parse(singleQuoted.replace('\'', '"'));
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
