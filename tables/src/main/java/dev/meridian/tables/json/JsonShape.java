package dev.meridian.tables.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import java.util.Base64;
import java.util.Locale;

/**
 * Checks that a JSON value has the shape a DynamoDB request field declares, failing with the
 * SerializationException texts DynamoDB's JSON reader uses, so a wrong shape is a 400 and never a 500.
 */
public final class JsonShape {
    private JsonShape() {}

    /** A structure (an object with fixed members), e.g. a KeySchemaElement or an AttributeValue. */
    public static JsonNode structure(JsonNode node) {
        if (node.isArray()) {
            throw serialization("Start of list found where not expected");
        }
        if (!node.isObject()) {
            throw serialization("Expected null");
        }
        return node;
    }

    /** A map with free keys, e.g. an item or ExpressionAttributeNames. */
    public static JsonNode map(JsonNode node) {
        if (node.isArray()) {
            throw serialization("Start of list found where not expected");
        }
        if (!node.isObject()) {
            throw serialization("Expected map or null");
        }
        return node;
    }

    public static JsonNode list(JsonNode node) {
        if (node.isObject()) {
            throw serialization("Start of structure or map found where not expected.");
        }
        if (!node.isArray()) {
            throw serialization("Expected list or null");
        }
        return node;
    }

    public static String string(JsonNode node) {
        rejectContainer(node);
        if (node.isBoolean() || node.isNumber()) {
            throw serialization(javaClass(node) + " can not be converted to an String");
        }
        return node.asText();
    }

    public static boolean bool(JsonNode node) {
        rejectContainer(node);
        if (node.isTextual()) {
            throw serialization("'" + node.asText().toUpperCase(Locale.ROOT) + "' can not be converted to an Boolean");
        }
        if (node.isNumber()) {
            throw serialization(javaClass(node) + " can not be converted to an Boolean");
        }
        return node.asBoolean();
    }

    /** An Integer or Long member; fractions are truncated as DynamoDB's reader does. */
    public static long integer(JsonNode node, String type) {
        rejectContainer(node);
        if (!node.isNumber()) {
            throw serialization(javaClass(node) + " can not be converted to an " + type);
        }
        return node.asLong();
    }

    /** A blob member: base64 text, checked as strictly as DynamoDB checks it. */
    public static byte[] blob(JsonNode node) {
        rejectContainer(node);
        if (!node.isTextual()) {
            throw serialization(javaClass(node) + " can not be converted to a Blob");
        }
        String text = node.asText();
        if (text.length() % 4 != 0) {
            throw serialization("'" + text + "' can not be converted to a Blob: Base64 encoded length is expected a "
                    + "multiple of 4 bytes but found: " + text.length());
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw serialization("'" + text + "' can not be converted to a Blob: " + e.getMessage());
        }
    }

    public static TablesException serialization(String message) {
        return new TablesException(DynamoError.SERIALIZATION, message);
    }

    private static void rejectContainer(JsonNode node) {
        if (node.isObject()) {
            throw serialization("Start of structure or map found where not expected.");
        }
        if (node.isArray()) {
            throw serialization("Start of list found where not expected");
        }
    }

    private static String javaClass(JsonNode node) {
        if (node.isBoolean()) {
            return "class java.lang.Boolean";
        }
        if (node.isTextual()) {
            return "class java.lang.String";
        }
        if (!node.isIntegralNumber()) {
            return "class java.lang.Double";
        }
        long value = node.asLong();
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            return "class java.lang.Short";
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? "class java.lang.Integer" : "class java.lang.Long";
    }
}
