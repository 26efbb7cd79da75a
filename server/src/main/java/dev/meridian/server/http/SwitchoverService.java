package dev.meridian.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.sql.SqlRegion;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /_meridian/sql/switchover?to=REGION}, on the SQL primary's region: a planned change of primary that
 * loses nothing ({@link SqlRegion#switchover}). Answers the new epoch, or 409 with the reason it did not happen.
 */
final class SwitchoverService implements HttpService {
    private final SqlRegion sql;
    private final ObjectMapper json;

    SwitchoverService(SqlRegion sql, ObjectMapper json) {
        this.sql = sql;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return error(HttpStatus.METHOD_NOT_ALLOWED, "use POST");
        }
        String to = ctx.queryParam("to");
        if (to == null || to.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "name the new primary region: ?to=REGION");
        }
        ctx.clearRequestTimeout(); // waits for the target to receive the last WAL, bounded by the switchover itself
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json.writeValueAsString(sql.switchover(to)));
            } catch (IllegalArgumentException e) {
                return error(HttpStatus.BAD_REQUEST, e.getMessage());
            } catch (Exception e) {
                return error(HttpStatus.CONFLICT, e.getMessage());
            }
        }, ctx.blockingTaskExecutor()));
    }

    private HttpResponse error(HttpStatus status, String message) {
        try {
            return HttpResponse.of(status, MediaType.JSON_UTF_8, json.writeValueAsString(Map.of("error",
                    message == null ? status.reasonPhrase() : message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return HttpResponse.of(status);
        }
    }
}
