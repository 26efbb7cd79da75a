package dev.meridian.gateway.proxy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.gateway.RegionTarget;
import dev.meridian.gateway.health.HealthChecker;
import dev.meridian.gateway.routing.Router;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Forwards every request to the region the {@link Router} picks, streaming bodies both ways, with the client's
 * {@code Host} kept (AWS signatures cover it). A read that gets no response (refused or dropped connection, or
 * bytes that are not HTTP) is sent once more to the next region; a write that gets none is answered 502 and the
 * client decides. Small bodies are read whole before sending, so that they can be sent again and a refused
 * connection still gets a clean 502; large ones stream. Every response says which region served it in
 * {@value #SERVED_BY}.
 */
public final class ProxyService implements HttpService {
    public static final String SERVED_BY = "x-meridian-served-by";

    private final Router router;
    private final HealthChecker health;
    private final Map<String, WebClient> clients;
    private final ProxyMetrics metrics;

    public ProxyService(Router router, HealthChecker health, ClientFactory factory, MeterRegistry meters) {
        this.router = router;
        this.health = health;
        this.metrics = new ProxyMetrics(meters);
        // No response timeout or size bound: a download may be gigabytes; the regions bound their own requests.
        this.clients = health.all().stream().collect(Collectors.toUnmodifiableMap(RegionTarget::name,
                target -> WebClient.builder(target.endpoint())
                        .factory(factory)
                        .responseTimeout(Duration.ZERO)
                        .maxResponseLength(0)
                        .build()));
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        List<RegionTarget> order;
        try {
            order = router.route(req.headers(), ctx.clientAddress());
        } catch (Router.UnknownRegionException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (order.isEmpty()) {
            metrics.unrouted();
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.PLAIN_TEXT_UTF_8).set(HttpHeaderNames.RETRY_AFTER, "1").build(),
                    HttpData.ofUtf8("no region behind this gateway is healthy; try again shortly\n"));
        }
        RequestHeaders headers = forwarded(ctx, req.headers());
        RegionTarget first = order.get(0);
        if (!IdempotentRequests.keptWhole(req.headers())) {
            // Streamed: if the region cannot be reached, the client's stream is reset, and it decides.
            return send(first, req.withHeaders(headers), error -> badGateway(first, error));
        }
        boolean retriable = IdempotentRequests.retriable(req.headers());
        return HttpResponse.of(req.aggregate().thenApply(body -> send(first, HttpRequest.of(headers, body.content()),
                error -> {
                    // A read that got no answer (refused, or the connection dropped) is safe to ask again.
                    if (!retriable || order.size() < 2) {
                        return badGateway(first, error);
                    }
                    RegionTarget next = order.get(1);
                    metrics.retried(first, next);
                    return send(next, HttpRequest.of(headers, body.content()), again -> badGateway(next, again));
                })));
    }

    /**
     * Sends {@code req} to {@code target}; if no response comes (refused connection, reset, timeout), notes why and
     * answers with {@code onNoResponse}.
     */
    private HttpResponse send(RegionTarget target, HttpRequest req, Function<Throwable, HttpResponse> onNoResponse) {
        long started = System.nanoTime();
        return clients.get(target.name()).execute(req)
                .mapHeaders(headers -> {
                    metrics.responded(target, headers.status(), started);
                    return headers.toBuilder().set(SERVED_BY, target.name()).build();
                })
                .recover(thrown -> {
                    Throwable error = Exceptions.peel(thrown);
                    if (error instanceof UnprocessedRequestException) {
                        health.connectFailed(target, error.getCause() == null ? error : error.getCause());
                        metrics.failed(target, "connect");
                    } else {
                        metrics.failed(target, "no_response");
                    }
                    return onNoResponse.apply(error);
                });
    }

    private static HttpResponse badGateway(RegionTarget target, Throwable error) {
        if (error instanceof UnprocessedRequestException) {
            return text(HttpStatus.BAD_GATEWAY, "region " + target.name() + " could not be reached and the request "
                    + "was not sent; retry it");
        }
        return text(HttpStatus.BAD_GATEWAY, "region " + target.name() + " did not answer ("
                + error.getClass().getSimpleName() + "); the request may or may not have taken effect");
    }

    /**
     * The client's headers, plus where it came from, for the region's logs. {@code Expect: 100-continue} was answered
     * here already; sent on, it would make each upload wait a round trip to the region before its body (no AWS SDK
     * or CLI signs it).
     */
    private static RequestHeaders forwarded(ServiceRequestContext ctx, RequestHeaders headers) {
        String client = ctx.clientAddress().getHostAddress();
        String prior = headers.get(HttpHeaderNames.X_FORWARDED_FOR);
        return headers.toBuilder()
                .removeAndThen(HttpHeaderNames.EXPECT)
                .set(HttpHeaderNames.X_FORWARDED_FOR, prior == null ? client : prior + ", " + client)
                .build();
    }

    private static HttpResponse text(HttpStatus status, String message) {
        return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message + "\n");
    }
}
