package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One table's definition as stored in the fabric's {@code tables} keyspace: its key schema, billing settings, TTL
 * attribute, the id naming the keyspace of its items (so a re-created table never sees the old table's items), and
 * whether it is strong (DynamoDB's multi-Region strong consistency: its writes agreed through the strong log).
 */
record TableDefinition(
        String name,
        String tableId,
        KeyAttribute hash,
        Optional<KeyAttribute> range,
        long createdMillis,
        String billingMode,
        long readCapacity,
        long writeCapacity,
        Optional<String> ttlAttribute,
        boolean strong) {

    static final String KEYSPACE = "tables";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A key attribute: its name and its declared type, S, N or B. */
    record KeyAttribute(String name, String type) {}

    String itemKeyspace() {
        return "items/" + tableId;
    }

    TableDefinition withTtl(Optional<String> attribute) {
        return new TableDefinition(name, tableId, hash, range, createdMillis, billingMode, readCapacity, writeCapacity,
                attribute, strong);
    }

    TableDefinition asStrong() {
        return new TableDefinition(name, tableId, hash, range, createdMillis, billingMode, readCapacity, writeCapacity,
                ttlAttribute, true);
    }

    /** DynamoDB's MultiRegionConsistency of the table. */
    String multiRegionConsistency() {
        return strong ? "STRONG" : "EVENTUAL";
    }

    byte[] toBytes() {
        ObjectNode node = JSON.createObjectNode()
                .put("name", name)
                .put("tableId", tableId)
                .put("hashName", hash.name())
                .put("hashType", hash.type())
                .put("createdMillis", createdMillis)
                .put("billingMode", billingMode)
                .put("readCapacity", readCapacity)
                .put("writeCapacity", writeCapacity);
        range.ifPresent(r -> node.put("rangeName", r.name()).put("rangeType", r.type()));
        ttlAttribute.ifPresent(t -> node.put("ttlAttribute", t));
        if (strong) {
            node.put("strong", true);
        }
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableDefinition fromBytes(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return new TableDefinition(
                    node.get("name").asText(),
                    node.get("tableId").asText(),
                    new KeyAttribute(node.get("hashName").asText(), node.get("hashType").asText()),
                    Optional.ofNullable(node.get("rangeName"))
                            .map(n -> new KeyAttribute(n.asText(), node.get("rangeType").asText())),
                    node.get("createdMillis").asLong(),
                    node.get("billingMode").asText(),
                    node.get("readCapacity").asLong(),
                    node.get("writeCapacity").asLong(),
                    Optional.ofNullable(node.get("ttlAttribute")).map(JsonNode::asText),
                    node.path("strong").asBoolean(false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
