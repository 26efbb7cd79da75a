package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import dev.meridian.tables.TablesService;
import java.util.UUID;

/** DynamoDB's response shapes: a JSON 1.0 body, a request id, and errors as {@code {"__type", "message"}}. */
final class DynamoErrors {
    static final MediaType AMZ_JSON_1_0 = MediaType.create("application", "x-amz-json-1.0");
    private static final ObjectMapper ERRORS = new ObjectMapper();

    private DynamoErrors() {}

    static HttpResponse ok(ObjectMapper json, JsonNode body) {
        try {
            return respond(HttpStatus.OK, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }

    static HttpResponse response(DynamoError error, String message) {
        ObjectNode body = ERRORS.createObjectNode().put("__type", error.type());
        if (message != null) {
            body.put("message", message);
        }
        return respond(HttpStatus.valueOf(error.httpStatus()), body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static HttpResponse response(TablesException e) {
        return respond(HttpStatus.valueOf(e.error().httpStatus()),
                TablesService.errorBody(e).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static HttpResponse respond(HttpStatus status, byte[] body) {
        return HttpResponse.of(ResponseHeaders.builder(status)
                        .contentType(AMZ_JSON_1_0)
                        .add("x-amzn-requestid", UUID.randomUUID().toString())
                        .build(),
                com.linecorp.armeria.common.HttpData.wrap(body));
    }
}
