package dev.meridian.objects.s3;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.meridian.core.auth.AuthFailure;
import dev.meridian.core.auth.Authenticated;
import dev.meridian.core.auth.PayloadDecoder;
import dev.meridian.core.auth.PayloadException;
import dev.meridian.core.auth.SigV2PresignedUrl;
import dev.meridian.core.auth.SigV4Request;
import dev.meridian.core.auth.SigV4Result;
import dev.meridian.core.auth.SigV4Verifier;
import dev.meridian.objects.ObjectStore;
import dev.meridian.objects.blob.BodyInputStream;
import dev.meridian.objects.replication.ObjectReplication;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 REST API on a region's HTTP port: SigV4 (header or presigned), or a legacy SigV2 presigned URL, checked
 * before anything else, the body decoded and verified as it streams ({@code aws-chunked} chunk signatures, trailers,
 * or its SHA-256), then one operation. Operations run on the blocking executor: they stream to and from disk and
 * wait for fsync.
 */
public final class S3Service implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(S3Service.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigV4Verifier verifier;
    private final SigV2PresignedUrl legacyUrls;
    private final S3Router router;

    public S3Service(ObjectStore store, ObjectReplication replication, SigV4Verifier verifier,
            SigV2PresignedUrl legacyUrls, Set<String> regions, Clock clock) {
        this.verifier = verifier;
        this.legacyUrls = legacyUrls;
        var reads = new ObjectReads(store, replication);
        var writes = new ObjectWrites(store, reads);
        this.router = new S3Router(new BucketOperations(store, regions), new ListOperations(store), reads, writes,
                new MultipartOperations(store, writes, clock), new UnconfiguredSettings(store, reads));
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        // Objects stream for as long as they take and may be 5 GiB: S3's own limits are checked per operation.
        ctx.clearRequestTimeout();
        ctx.setMaxRequestLength(0);
        String requestId = requestId();
        return HttpResponse.of(CompletableFuture.supplyAsync(() -> handle(ctx, req, requestId), ctx.blockingTaskExecutor()));
    }

    private HttpResponse handle(ServiceRequestContext ctx, HttpRequest req, String requestId) {
        String method = req.method().name();
        String target = ctx.rawPath();
        int question = target.indexOf('?');
        String rawPath = question < 0 ? target : target.substring(0, question);
        String rawQuery = question < 0 ? "" : target.substring(question + 1);
        String resource = S3Request.percentDecode(rawPath, false);
        BodyInputStream raw = null;
        try {
            Map<String, List<String>> headers = SigV4Request.headersOf(req.headers(), req.headers().authority());
            SigV4Request signed = new SigV4Request(method, rawPath, rawQuery, headers,
                    PayloadDecoder.s3PayloadHash(headers, rawQuery), false);
            boolean legacyUrl = SigV2PresignedUrl.isPresigned(rawQuery);
            SigV4Result result = legacyUrl
                    ? legacyUrls.verify(signed, S3Request.virtualHostBucket(req.headers().authority()))
                    : verifier.verify(signed);
            if (result instanceof AuthFailure failure) {
                throw refused(failure, legacyUrl || rawQuery.contains("X-Amz-Signature="));
            }
            raw = BodyInputStream.of(req, ctx.eventLoop());
            PayloadDecoder body = PayloadDecoder.open(raw, signed, (Authenticated) result);
            String[] address = S3Request.address(req.headers().authority(), rawPath);
            Map<String, String> first = new HashMap<>();
            headers.forEach((name, values) -> first.put(name, values.get(0)));
            var request = new S3Request(method, address[0], address[1], S3Request.parseQuery(rawQuery), first, body,
                    body::trailers, requestId);
            return router.route(request);
        } catch (S3Exception e) {
            return S3Responses.error(e, method, resource, requestId);
        } catch (PayloadException e) {
            return S3Responses.error(Bodies.payloadError(e), method, resource, requestId);
        } catch (RuntimeException e) {
            log.error("event=s3_request_failed method={} resource=\"{}\" request_id={} error=\"{}\"",
                    method, resource, requestId, e.getMessage(), e);
            return S3Responses.error(new S3Exception(S3Error.INTERNAL_ERROR), method, resource, requestId);
        } finally {
            // Every operation has read what it needs of the body by now; what is left is dropped.
            if (raw != null) {
                raw.close();
            }
        }
    }

    /** S3's answer to a signature it refuses; {@code presigned} when the signature came in the URL. */
    private static S3Exception refused(AuthFailure failure, boolean presigned) {
        return switch (failure.reason()) {
            case MISSING_AUTHENTICATION -> new S3Exception(S3Error.ACCESS_DENIED);
            case INCOMPLETE_SIGNATURE -> new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, failure.message());
            case UNKNOWN_ACCESS_KEY -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID);
            case SIGNATURE_MISMATCH -> new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH);
            case EXPIRED -> presigned
                    ? new S3Exception(S3Error.ACCESS_DENIED, "Request has expired")
                    : new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED, failure.message());
        };
    }

    /**
     * S3's error document for a request refused before it reached S3's operations (e.g. a consistency wait that
     * ran out), with {@code message} in place of the code's usual one.
     */
    public static HttpResponse refuse(ServiceRequestContext ctx, HttpRequest req, S3Error error, String message) {
        String target = ctx.rawPath();
        int question = target.indexOf('?');
        String resource = S3Request.percentDecode(question < 0 ? target : target.substring(0, question), false);
        return S3Responses.error(new S3Exception(error, message), req.method().name(), resource, requestId());
    }

    private static String requestId() {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return HexFormat.of().withUpperCase().formatHex(id);
    }
}
