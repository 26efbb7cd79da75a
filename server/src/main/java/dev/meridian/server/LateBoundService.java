package dev.meridian.server;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service a server must be built with before the layer that serves it exists: the peer port starts with the
 * fabric, and the objects layer is built on the fabric. Until bound, requests get 503 and peers retry.
 */
final class LateBoundService implements HttpService {
    private final AtomicReference<HttpService> target = new AtomicReference<>();

    void bind(HttpService service) {
        target.set(service);
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        HttpService service = target.get();
        return service == null ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE) : service.serve(ctx, req);
    }
}
