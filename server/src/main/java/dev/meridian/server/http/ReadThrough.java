package dev.meridian.server.http;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import com.linecorp.armeria.server.HttpService;
import dev.meridian.client.ConsistencyToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Serves a SESSION read this region cannot cover in time from a peer region that can: the request, unchanged (its
 * signature still holds), travels over the peer link to the peer's {@link #relay} on its peer port, which hands it
 * to that region's own front door. The answer comes back as the peer gave it, token included, marked with
 * {@value #SERVED_BY_HEADER}.
 */
public final class ReadThrough {
    /** The peer-port route relayed reads arrive on; the original path and query follow it. */
    public static final String ROUTE = "prefix:/_meridian/read-through/";
    /** Marks a relayed request (its value: the region that relayed it), so it is never relayed again. */
    static final String RELAYED_HEADER = "x-meridian-read-through";
    /** The region whose copy served a read that was read through. */
    static final String SERVED_BY_HEADER = "x-meridian-served-by";
    private static final String PREFIX = "/_meridian/read-through";

    private final String region;
    private final Map<String, WebClient> peers = new TreeMap<>();

    /** {@code peerAddresses}: each peer's name and the host:port of its peer port (or of the link to it). */
    ReadThrough(String region, Map<String, String> peerAddresses) {
        this.region = region;
        peerAddresses.forEach((peer, address) -> peers.put(peer, WebClient.builder("http://" + address)
                .responseTimeout(Duration.ZERO) // the peer bounds its own wait
                .maxResponseLength(0)
                .build()));
    }

    static boolean isRelayed(HttpRequest req) {
        return req.headers().contains(RELAYED_HEADER);
    }

    /**
     * Tries the peers that lack none of the token's positions first (the regions whose writes this region is missing),
     * then the others; a peer that cannot be reached is skipped.
     */
    HttpResponse serve(HttpRequest req, ConsistencyToken token, Map<String, Long> applied,
            Supplier<HttpResponse> noPeer) {
        List<String> order = new ArrayList<>();
        token.positions().forEach((origin, position) -> {
            if (peers.containsKey(origin) && applied.getOrDefault(origin, 0L) < position) {
                order.add(origin);
            }
        });
        peers.keySet().stream().filter(peer -> !order.contains(peer)).forEach(order::add);
        RequestHeaders relayed = req.headers().toBuilder()
                .path(PREFIX + req.headers().path())
                .set(RELAYED_HEADER, region)
                .build();
        return HttpResponse.of(req.aggregate().thenCompose(body -> attempt(order, 0, relayed, body, noPeer)));
    }

    private CompletableFuture<HttpResponse> attempt(List<String> order, int next, RequestHeaders headers,
            AggregatedHttpRequest body, Supplier<HttpResponse> noPeer) {
        if (next == order.size()) {
            return CompletableFuture.completedFuture(noPeer.get());
        }
        String peer = order.get(next);
        SplitHttpResponse answer = peers.get(peer).execute(body.toHttpRequest(headers)).split();
        return answer.headers().handle((answered, unreachable) -> {
            if (unreachable != null) {
                return attempt(order, next + 1, headers, body, noPeer);
            }
            return CompletableFuture.completedFuture(HttpResponse.of(
                    answered.toBuilder().set(SERVED_BY_HEADER, peer).build(), answer.body()));
        }).thenCompose(response -> response);
    }

    /** The peer-port end: hands a relayed read to this region's front door at {@code httpPort}, as it came. */
    public static HttpService relay(int httpPort) {
        WebClient frontDoor = WebClient.builder("http://127.0.0.1:" + httpPort)
                .responseTimeout(Duration.ZERO)
                .maxResponseLength(0)
                .build();
        return (ctx, req) -> {
            String path = req.headers().path().substring(PREFIX.length());
            return frontDoor.execute(req.withHeaders(req.headers().toBuilder().path(path).build()));
        };
    }
}
