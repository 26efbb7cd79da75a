package dev.meridian.server.http;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import dev.meridian.client.ConsistencyToken;
import dev.meridian.core.RegionConfig.ConsistencySettings;
import dev.meridian.fabric.Fabric;
import dev.meridian.objects.s3.S3Error;
import dev.meridian.objects.s3.S3Service;
import dev.meridian.tables.DynamoError;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * SESSION and GLOBAL consistency for the DynamoDB and S3 APIs, in front of both.
 *
 * <ul>
 *   <li>Every answer carries {@code x-meridian-token}: the request's token merged with what this region has applied
 *       when it answers (for a write, that includes the write).
 *   <li>{@code x-meridian-consistency: session} with a token: the request waits, up to {@code sessionWait}, until
 *       this region has applied every position in it, then runs here. If it does not get there in time, a read is
 *       served by a peer that has ({@link ReadThrough}) or, like any write, refused with a retryable 503.
 *   <li>{@code x-meridian-consistency: global}: each peer is asked for its log head (one round trip), and the request
 *       runs once this region has applied all of them, so it sees every write acknowledged anywhere before it
 *       began. Peers that do not answer are named in {@code x-meridian-unreachable}, or the read is refused.
 * </ul>
 * DynamoDB's {@code ConsistentRead} keeps its own meaning: the latest write in this region.
 */
final class ConsistencyGate extends SimpleDecoratingHttpService {
    /** Names the peers a GLOBAL read could not reach, whose recent writes it may therefore miss. */
    static final String UNREACHABLE_HEADER = "x-meridian-unreachable";

    private static final Set<String> DYNAMODB_READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan",
            "TransactGetItems", "DescribeTable", "ListTables", "DescribeTimeToLive");

    private final Fabric fabric;
    private final ConsistencySettings settings;
    private final ReadThrough readThrough;

    ConsistencyGate(HttpService delegate, Fabric fabric, ConsistencySettings settings, ReadThrough readThrough) {
        super(delegate);
        this.fabric = fabric;
        this.settings = settings;
        this.readThrough = readThrough;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (isDynamoDb(req)) {
            // The route takes S3's 5 GiB bodies; DynamoDB's bound holds from the first byte, even while a request waits.
            ctx.setMaxRequestLength(SigV4Authenticator.MAX_REQUEST_BYTES);
        }
        String mode = req.headers().get(ConsistencyToken.CONSISTENCY_HEADER, "eventual").toLowerCase(Locale.ROOT);
        ConsistencyToken token;
        try {
            String text = req.headers().get(ConsistencyToken.HEADER);
            token = text == null ? ConsistencyToken.EMPTY : ConsistencyToken.parse(text);
        } catch (IllegalArgumentException e) {
            return invalid(ctx, req, "Header " + ConsistencyToken.HEADER + " is not a token Meridian returned: "
                    + e.getMessage());
        }
        return switch (mode) {
            case "eventual" -> serveHere(ctx, req, token, Set.of());
            case "session" -> session(ctx, req, token);
            case "global" -> global(ctx, req, token);
            default -> invalid(ctx, req, "Header " + ConsistencyToken.CONSISTENCY_HEADER
                    + " must be eventual, session or global, not '" + mode + "'");
        };
    }

    private HttpResponse session(ServiceRequestContext ctx, HttpRequest req, ConsistencyToken token) {
        if (token.isEmpty()) {
            return serveHere(ctx, req, token, Set.of());
        }
        return HttpResponse.of(fabric.awaitApplied(token.positions(), settings.sessionWait()).thenApplyAsync(covered -> {
            if (covered) {
                return serveHere(ctx, req, token, Set.of());
            }
            String behind = "This region has not yet applied the writes this session has seen (waited "
                    + settings.sessionWait().toMillis() + " ms)";
            if (isRead(req) && !ReadThrough.isRelayed(req)
                    && settings.onSessionTimeout() == ConsistencySettings.OnSessionTimeout.READ_THROUGH) {
                return readThrough.serve(req, token, fabric.applied(),
                        () -> unavailable(ctx, req, behind + " and no other region could be reached; retry"));
            }
            return unavailable(ctx, req, behind + "; retry, or read in the region that made them");
        }, ctx.eventLoop()));
    }

    private HttpResponse global(ServiceRequestContext ctx, HttpRequest req, ConsistencyToken token) {
        CompletableFuture<HttpResponse> response = fabric.peerHeads(settings.globalPeerTimeout()).thenComposeAsync(heads -> {
            Set<String> unreachable = new TreeSet<>(fabric.applied().keySet());
            unreachable.remove(fabric.region());
            unreachable.removeAll(heads.keySet());
            if (!unreachable.isEmpty() && settings.onUnreachable() == ConsistencySettings.OnUnreachable.FAIL) {
                return CompletableFuture.completedFuture(unavailable(ctx, req,
                        "A GLOBAL read needs every region; unreachable: " + String.join(", ", unreachable) + "; retry"));
            }
            Map<String, Long> positions = new HashMap<>(token.positions());
            heads.forEach((peer, head) -> positions.merge(peer, head, Math::max));
            return fabric.awaitApplied(positions, settings.globalWait()).thenApplyAsync(covered -> covered
                    ? serveHere(ctx, req, token, unreachable)
                    : unavailable(ctx, req, "This region has not yet applied the writes its peers acknowledged (waited "
                            + settings.globalWait().toMillis() + " ms); retry"), ctx.eventLoop());
        }, ctx.eventLoop());
        return HttpResponse.of(response);
    }

    /** Runs the request here; its answer carries the session's token, now including what this region has applied. */
    private HttpResponse serveHere(ServiceRequestContext ctx, HttpRequest req, ConsistencyToken token,
            Set<String> unreachable) {
        HttpResponse response;
        try {
            response = unwrap().serve(ctx, req);
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
        return response.mapHeaders(headers -> {
            if (headers.status().isInformational()) {
                return headers;
            }
            // Taken as the answer leaves: a write is durable by now, and a read read nothing newer than this.
            var withToken = headers.toBuilder()
                    .set(ConsistencyToken.HEADER, token.merge(ConsistencyToken.of(fabric.applied())).encode());
            if (!unreachable.isEmpty()) {
                withToken.set(UNREACHABLE_HEADER, String.join(",", unreachable));
            }
            return withToken.build();
        });
    }

    private static boolean isRead(HttpRequest req) {
        String target = req.headers().get("x-amz-target");
        if (target == null) {
            return req.method().name().equals("GET") || req.method().name().equals("HEAD");
        }
        return DYNAMODB_READS.contains(target.substring(target.indexOf('.') + 1));
    }

    private static HttpResponse invalid(ServiceRequestContext ctx, HttpRequest req, String message) {
        return isDynamoDb(req) ? DynamoErrors.response(DynamoError.VALIDATION, message)
                : S3Service.refuse(ctx, req, S3Error.INVALID_ARGUMENT, message);
    }

    private static HttpResponse unavailable(ServiceRequestContext ctx, HttpRequest req, String message) {
        return isDynamoDb(req) ? DynamoErrors.response(DynamoError.SERVICE_UNAVAILABLE, message)
                : S3Service.refuse(ctx, req, S3Error.SERVICE_UNAVAILABLE, message);
    }

    private static boolean isDynamoDb(HttpRequest req) {
        return req.headers().contains("x-amz-target");
    }
}
