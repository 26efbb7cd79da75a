package dev.meridian.tables;

/** DynamoDB's error codes, with the {@code __type} prefix and HTTP status DynamoDB answers them with. */
public enum DynamoError {
    VALIDATION("com.amazon.coral.validate#ValidationException", 400),
    SERIALIZATION("com.amazon.coral.service#SerializationException", 400),
    UNKNOWN_OPERATION("com.amazon.coral.service#UnknownOperationException", 400),
    MISSING_AUTHENTICATION_TOKEN("com.amazon.coral.service#MissingAuthenticationTokenException", 400),
    INVALID_SIGNATURE("com.amazon.coral.service#InvalidSignatureException", 400),
    UNRECOGNIZED_CLIENT("com.amazon.coral.service#UnrecognizedClientException", 400),
    INCOMPLETE_SIGNATURE("com.amazon.coral.service#IncompleteSignatureException", 400),
    RESOURCE_NOT_FOUND("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400),
    RESOURCE_IN_USE("com.amazonaws.dynamodb.v20120810#ResourceInUseException", 400),
    CONDITIONAL_CHECK_FAILED("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", 400),
    REPLICATED_WRITE_CONFLICT("com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException", 400),
    LIMIT_EXCEEDED("com.amazonaws.dynamodb.v20120810#LimitExceededException", 400),
    SERVICE_UNAVAILABLE("com.amazonaws.dynamodb.v20120810#ServiceUnavailable", 503),
    INTERNAL_SERVER_ERROR("com.amazonaws.dynamodb.v20120810#InternalServerError", 500);

    private final String type;
    private final int httpStatus;

    DynamoError(String type, int httpStatus) {
        this.type = type;
        this.httpStatus = httpStatus;
    }

    /** The value of {@code __type} in the error body. */
    public String type() {
        return type;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The bare code, e.g. {@code ValidationException}, as the SDK reports it. */
    public String code() {
        return type.substring(type.indexOf('#') + 1);
    }
}
