package dev.meridian.tables;

import dev.meridian.tables.model.AttributeValue;
import java.util.Map;
import java.util.Optional;

/**
 * A request the tables layer refuses, carrying DynamoDB's error code and message so the HTTP layer only has to
 * shape it. A failed condition may carry the item it was checked against
 * ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}).
 */
public final class TablesException extends RuntimeException {
    private final DynamoError error;
    private final Map<String, AttributeValue> item;

    public TablesException(DynamoError error, String message) {
        this(error, message, null);
    }

    public TablesException(DynamoError error, String message, Map<String, AttributeValue> item) {
        super(message, null, false, false);
        this.error = error;
        this.item = item;
    }

    public static TablesException validation(String message) {
        return new TablesException(DynamoError.VALIDATION, message);
    }

    public DynamoError error() {
        return error;
    }

    public Optional<Map<String, AttributeValue>> item() {
        return Optional.ofNullable(item);
    }
}
