package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.Fabric;

/** {@code GET /_meridian/status}: this region's log head, what it has applied, and each peer's lag, as JSON. */
final class StatusService implements HttpService {
    private final Fabric fabric;
    private final ObjectMapper json;

    StatusService(Fabric fabric, ObjectMapper json) {
        this.fabric = fabric;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws JsonProcessingException {
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, json.writeValueAsString(fabric.status()));
    }
}
