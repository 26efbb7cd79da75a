package dev.meridian.tables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tables.expr.ExpressionAttributes;
import dev.meridian.tables.json.ItemJson;
import dev.meridian.tables.json.JsonShape;
import dev.meridian.tables.json.RequestFields;
import dev.meridian.tables.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a request's ExpressionAttributeNames and ExpressionAttributeValues for the expression engine. */
final class RequestExpressions {
    private RequestExpressions() {}

    static ExpressionAttributes attributes(RequestFields request) {
        Map<String, String> names = request.map("ExpressionAttributeNames").map(RequestExpressions::names).orElse(null);
        Map<String, AttributeValue> values =
                request.map("ExpressionAttributeValues").map(RequestExpressions::values).orElse(null);
        return new ExpressionAttributes(names, values);
    }

    private static Map<String, String> names(JsonNode map) {
        var names = new LinkedHashMap<String, String>();
        map.properties().forEach(e -> names.put(e.getKey(), JsonShape.string(e.getValue())));
        return names;
    }

    private static Map<String, AttributeValue> values(JsonNode map) {
        var values = new LinkedHashMap<String, AttributeValue>();
        map.properties().forEach(e -> {
            try {
                values.put(e.getKey(), ItemJson.readValue(e.getValue()));
            } catch (TablesException invalid) {
                if (invalid.error() != DynamoError.VALIDATION) {
                    throw invalid;
                }
                throw TablesException.validation("ExpressionAttributeValues contains invalid value: "
                        + invalid.getMessage() + " for key " + e.getKey());
            }
        });
        return values;
    }
}
