package dev.meridian.tables.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.meridian.tables.TablesException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed access to the members of one request structure. Absent and JSON-null members read as empty, wrong shapes
 * fail as SerializationException, and constraint failures use DynamoDB's "1 validation error detected" wording with
 * the member's path (e.g. {@code timeToLiveSpecification.enabled}).
 */
public final class RequestFields {
    private final JsonNode node;
    private final String path;

    private RequestFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The top-level request body; a missing body reads as an empty structure. */
    public static RequestFields of(JsonNode request) {
        JsonNode body = request == null || request.isNull() || request.isMissingNode()
                ? JsonNodeFactory.instance.objectNode()
                : JsonShape.structure(request);
        return new RequestFields(body, "");
    }

    /** The structure as received. */
    public JsonNode node() {
        return node;
    }

    public boolean has(String member) {
        JsonNode value = node.get(member);
        return value != null && !value.isNull();
    }

    public Optional<String> string(String member) {
        return member(member).map(JsonShape::string);
    }

    /** A member DynamoDB marks required. */
    public String requiredString(String member) {
        return string(member).orElseThrow(() -> constraint(member, null, "Member must not be null"));
    }

    public Optional<Long> integer(String member) {
        return member(member).map(v -> JsonShape.integer(v, "Integer"));
    }

    public Optional<Boolean> bool(String member) {
        return member(member).map(JsonShape::bool);
    }

    public Optional<RequestFields> structure(String member) {
        return member(member).map(v -> new RequestFields(JsonShape.structure(v), pathOf(member)));
    }

    public RequestFields requiredStructure(String member) {
        return structure(member).orElseThrow(() -> constraint(member, null, "Member must not be null"));
    }

    /** A map member (free keys), e.g. Item, Key or ExpressionAttributeNames. */
    public Optional<JsonNode> map(String member) {
        return member(member).map(JsonShape::map);
    }

    public Optional<List<JsonNode>> list(String member) {
        return member(member).map(v -> {
            var elements = new ArrayList<JsonNode>();
            JsonShape.list(v).forEach(elements::add);
            return elements;
        });
    }

    /** The elements of a list of structures, each with its own path ({@code keySchema.1}). */
    public Optional<List<RequestFields>> structures(String member) {
        return list(member).map(elements -> {
            var result = new ArrayList<RequestFields>();
            for (int i = 0; i < elements.size(); i++) {
                result.add(new RequestFields(JsonShape.structure(elements.get(i)), pathOf(member) + ".member." + (i + 1)));
            }
            return result;
        });
    }

    /** A string member limited to an enumeration, checked as DynamoDB checks it. */
    public Optional<String> enumeration(String member, List<String> allowed) {
        Optional<String> value = string(member);
        value.filter(v -> !allowed.contains(v)).ifPresent(v -> {
            throw constraint(member, v, "Member must satisfy enum value set: [" + String.join(", ", allowed) + "]");
        });
        return value;
    }

    /** A ValidationException for one member in DynamoDB's constraint wording. */
    public TablesException constraint(String member, Object value, String rule) {
        return constraints(member, value, List.of(rule));
    }

    /** A ValidationException listing every constraint one member's value fails, as DynamoDB reports them. */
    public TablesException constraints(String member, Object value, List<String> rules) {
        String shown = value == null ? "null" : "'" + value + "'";
        var errors = new ArrayList<String>();
        for (String rule : rules) {
            errors.add("Value " + shown + " at '" + pathOf(member) + "' failed to satisfy constraint: " + rule);
        }
        return TablesException.validation(errors.size() + " validation error" + (errors.size() > 1 ? "s" : "")
                + " detected: " + String.join("; ", errors));
    }

    private Optional<JsonNode> member(String member) {
        JsonNode value = node.get(member);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    private String pathOf(String member) {
        String lower = Character.toLowerCase(member.charAt(0)) + member.substring(1);
        return path.isEmpty() ? lower : path + "." + lower;
    }
}
