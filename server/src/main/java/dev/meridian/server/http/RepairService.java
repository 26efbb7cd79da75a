package dev.meridian.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.fabric.Fabric;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /_meridian/repair}: an anti-entropy round now, against every peer: compare Merkle digests, pull what
 * differs. Answers each peer's result as JSON once done.
 */
final class RepairService implements HttpService {
    private final Fabric fabric;
    private final ObjectMapper json;

    RepairService(Fabric fabric, ObjectMapper json) {
        this.fabric = fabric;
        this.json = json;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.POST) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8, "use POST");
        }
        ctx.clearRequestTimeout(); // a full comparison scans the whole state; each call to a peer has its own deadline
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
            try {
                return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
                        json.writeValueAsString(Map.of("region", fabric.region(), "peers", fabric.repair())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }, ctx.blockingTaskExecutor()));
    }
}
