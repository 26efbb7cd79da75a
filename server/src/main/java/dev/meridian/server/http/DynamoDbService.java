package dev.meridian.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.tables.DynamoError;
import dev.meridian.tables.TablesException;
import dev.meridian.tables.TablesService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DynamoDB JSON 1.0 protocol: {@code X-Amz-Target: DynamoDB_20120810.<Operation>}, a JSON body in, a JSON
 * body out. Operations run on the blocking executor because writes wait for fsync.
 */
final class DynamoDbService implements HttpService {
    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final Logger log = LoggerFactory.getLogger(DynamoDbService.class);

    private final TablesService tables;
    private final ObjectMapper json;

    DynamoDbService(TablesService tables, ObjectMapper json) {
        this.tables = tables;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        String target = req.headers().get("x-amz-target", "");
        return HttpResponse.of(req.aggregate().thenApplyAsync(
                aggregated -> handle(target, aggregated), ctx.blockingTaskExecutor()));
    }

    private HttpResponse handle(String target, AggregatedHttpRequest request) {
        if (!target.startsWith(TARGET_PREFIX)) {
            return DynamoErrors.response(DynamoError.UNKNOWN_OPERATION, null);
        }
        String operation = target.substring(TARGET_PREFIX.length());
        JsonNode body;
        try {
            String text = request.contentUtf8();
            body = text.isBlank() ? json.createObjectNode() : json.readTree(text);
            if (body == null || !body.isObject()) {
                return DynamoErrors.response(DynamoError.SERIALIZATION,
                        "Start of list found where not expected");
            }
        } catch (JacksonException e) {
            return DynamoErrors.response(DynamoError.SERIALIZATION, "Malformed JSON: " + e.getOriginalMessage());
        }
        try {
            return DynamoErrors.ok(json, tables.handle(operation, body));
        } catch (TablesException e) {
            return DynamoErrors.response(e);
        } catch (RuntimeException e) {
            log.error("event=request_failed operation={} error=\"{}\"", operation, e.getMessage(), e);
            return DynamoErrors.response(DynamoError.INTERNAL_SERVER_ERROR, "Internal server error");
        }
    }
}
