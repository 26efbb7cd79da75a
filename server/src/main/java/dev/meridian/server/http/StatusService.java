package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.Fabric;
import dev.meridian.objects.replication.ObjectReplication;
import dev.meridian.sql.SqlRegion;
import java.util.Optional;

/**
 * {@code GET /_meridian/status}: this region's log head, what it has applied, each peer's lag, the object bytes it
 * still has to get to each destination, and, when the region runs PostgreSQL, its role and (in the primary region)
 * each standby's lag, as JSON.
 */
final class StatusService implements HttpService {
    private final Fabric fabric;
    private final ObjectReplication objects;
    private final Optional<SqlRegion> sql;
    private final ObjectMapper json;

    StatusService(Fabric fabric, ObjectReplication objects, Optional<SqlRegion> sql, ObjectMapper json) {
        this.fabric = fabric;
        this.objects = objects;
        this.sql = sql;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws JsonProcessingException {
        ObjectNode status = json.valueToTree(fabric.status());
        status.set("objectReplication", json.valueToTree(objects.backlog()));
        sql.ifPresent(region -> status.set("sql", json.valueToTree(region.status())));
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json.writeValueAsString(status));
    }
}
